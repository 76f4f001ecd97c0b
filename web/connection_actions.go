package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

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

// connectionSettings saves the connection's stale threshold and inactivity
// threshold.
func (s *Server) connectionSettings(c echo.Context) error {
	conn, err := s.loadConnection(c)
	if err != nil {
		return err
	}
	staleAfter, days, problem := parseThresholds(c.FormValue("stale_hours"), c.FormValue("inactive_days"))
	if problem != "" {
		return s.renderConnection(c, http.StatusUnprocessableEntity, conn, problem)
	}
	err = s.Connections.SetThresholds(c.Request().Context(), conn.OrgID, s.actingUser(c), conn.ID, staleAfter, days)
	if errors.Is(err, connection.ErrThresholds) {
		return s.renderConnection(c, http.StatusUnprocessableEntity, conn, "Not saved: "+err.Error()+".")
	}
	if err != nil {
		return err
	}
	flash(c, layout.FlashSuccess, "Thresholds saved.")
	return seeOther(c, orgPath(c, "/connections/"+conn.ID.String()))
}

// parseThresholds reads the thresholds form: whole hours and days, each
// checked against its range before it is turned into a duration (hours
// beyond the range would overflow time.Duration and wrap around). problem
// is the form's message when a value is refused.
func parseThresholds(hoursRaw, daysRaw string) (staleAfter time.Duration, days int, problem string) {
	hours, err1 := strconv.Atoi(hoursRaw)
	days, err2 := strconv.Atoi(daysRaw)
	if err1 != nil || err2 != nil {
		return 0, 0, "Enter whole numbers of hours and days."
	}
	minHours, maxHours := int(connection.MinStaleAfter/time.Hour), int(connection.MaxStaleAfter/time.Hour)
	if hours < minHours || hours > maxHours || days < connection.MinInactiveDays || days > connection.MaxInactiveDays {
		return 0, 0, "Not saved: " + connection.ErrThresholds.Error() + "."
	}
	return time.Duration(hours) * time.Hour, days, ""
}
