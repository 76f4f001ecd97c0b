package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/views/layout"
)

// connectCreate validates the wizard, creates the pending connection and
// sends the browser to the provider to authorize (or, for a connector
// without a browser round-trip, straight to the active connection).
func (s *Server) connectCreate(c echo.Context) error {
	conn := s.Connectors.Get(c.Param("connector"))
	if conn == nil {
		return echo.ErrNotFound
	}
	values, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	setup, errs := conn.ParseForm(values)
	if len(errs) > 0 {
		return s.renderWizard(c, http.StatusUnprocessableEntity, conn, values, errs, "Check the highlighted fields.")
	}
	target, connID, err := s.Connections.Start(c.Request().Context(), currentOrg(c).ID, s.actingUser(c), conn.Definition().Key, setup)
	if errors.Is(err, connection.ErrAlreadyConnected) {
		def := conn.Definition()
		return s.renderWizard(c, http.StatusConflict, conn, values, connector.FieldErrors{setup.IdentityField: "This " + def.Account + " is already connected. Open it from the integration page."}, "")
	}
	if err != nil {
		return err
	}
	if target.URL == "" {
		flash(c, layout.FlashSuccess, "Connected. The first sync has started.")
		return c.Redirect(http.StatusSeeOther, orgPath(c, "/connections/"+connID.String()))
	}
	return s.goToProvider(c, conn.Definition().Provider, target)
}

// actingUser is the signed-in user with the session an OAuth flow binds to.
func (s *Server) actingUser(c echo.Context) connection.User {
	u := currentUser(c)
	return connection.User{ID: u.UserID, Email: u.Email, SessionHash: u.IDHash()}
}
