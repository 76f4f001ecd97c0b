package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/connector"
)

// connectCreate validates the wizard, creates the pending connection and
// sends the browser to the tenant's authorize endpoint.
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
	target, _, err := s.Connections.Start(c.Request().Context(), currentOrg(c).ID, s.actingUser(c), conn.Definition().Key, setup)
	if errors.Is(err, connection.ErrAlreadyConnected) {
		return s.renderWizard(c, http.StatusConflict, conn, values, connector.FieldErrors{"tenant": "This tenant is already connected with this application. Open it from the integration page."}, "")
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// actingUser is the signed-in user with the session an OAuth flow binds to.
func (s *Server) actingUser(c echo.Context) connection.User {
	u := currentUser(c)
	return connection.User{ID: u.UserID, Email: u.Email, SessionHash: u.IDHash()}
}
