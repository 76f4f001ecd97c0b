package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/views/layout"
)

// connectionReauthorize runs the authorization again for the same connection.
func (s *Server) connectionReauthorize(c echo.Context) error {
	conn, err := s.loadConnection(c)
	if err != nil {
		return err
	}
	target, err := s.Connections.Reauthorize(c.Request().Context(), conn.OrgID, s.actingUser(c), conn.ID)
	return s.redirectToProvider(c, target, err)
}

// connectionAdminConsent sends an administrator to the tenant's admin-consent page.
func (s *Server) connectionAdminConsent(c echo.Context) error {
	conn, err := s.loadConnection(c)
	if err != nil {
		return err
	}
	target, err := s.Connections.AdminConsent(c.Request().Context(), conn.OrgID, s.actingUser(c), conn.ID)
	return s.redirectToProvider(c, target, err)
}

func (s *Server) redirectToProvider(c echo.Context, target string, err error) error {
	if errors.Is(err, connection.ErrRevoked) {
		return echo.NewHTTPError(http.StatusConflict, "This connection was revoked: connect the tenant again instead.")
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// connectionRevoke soft-deletes the connection and keeps its history.
func (s *Server) connectionRevoke(c echo.Context) error {
	conn, err := s.loadConnection(c)
	if err != nil {
		return err
	}
	err = s.Connections.Revoke(c.Request().Context(), conn.OrgID, s.actingUser(c), conn.ID)
	if errors.Is(err, connection.ErrRevoked) {
		flash(c, layout.FlashInfo, "That connection was already revoked.")
		return seeOther(c, orgPath(c, "/connections/"+conn.ID.String()))
	}
	if err != nil {
		return err
	}
	flash(c, layout.FlashSuccess, "Revoked "+conn.DisplayName+". Its credentials are deleted; its evidence and history are kept.")
	return seeOther(c, orgPath(c, "/connections/"+conn.ID.String()))
}
