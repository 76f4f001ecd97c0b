package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/views/layout"
)

// connectionReauthorize runs the authorization again for the same connection.
func (s *Server) connectionReauthorize(c echo.Context) error {
	conn, err := s.loadConnection(c)
	if err != nil {
		return err
	}
	target, err := s.Connections.Reauthorize(c.Request().Context(), conn.OrgID, s.actingUser(c), conn.ID)
	return s.redirectToProvider(c, conn.Connector, target, err)
}

// connectionConsent sends an administrator to the provider's consent page,
// for a connector that declares the consent capability (404 otherwise).
func (s *Server) connectionConsent(c echo.Context) error {
	conn, err := s.loadConnection(c)
	if err != nil {
		return err
	}
	target, err := s.Connections.Consent(c.Request().Context(), conn.OrgID, s.actingUser(c), conn.ID)
	return s.redirectToProvider(c, conn.Connector, target, err)
}

func (s *Server) redirectToProvider(c echo.Context, key string, target connection.Target, err error) error {
	if errors.Is(err, connection.ErrRevoked) {
		return echo.NewHTTPError(http.StatusConflict, "This connection was revoked: connect the account again instead.")
	}
	if errors.Is(err, connection.ErrNoCapability) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	provider := key
	if conn := s.Connectors.Get(key); conn != nil {
		provider = conn.Definition().Provider
	}
	return s.goToProvider(c, provider, target)
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

// connectionSettings saves the connection's stale threshold and the
// parameters its connector's checks declare.
func (s *Server) connectionSettings(c echo.Context) error {
	conn, err := s.loadConnection(c)
	if err != nil {
		return err
	}
	cn := s.Connectors.Get(conn.Connector)
	if cn == nil {
		return echo.ErrNotFound
	}
	staleAfter, params, problem := parseThresholds(c.FormValue("stale_hours"), connector.DeclaredParams(cn.Checks()), c.FormValue)
	if problem != "" {
		return s.renderConnection(c, http.StatusUnprocessableEntity, conn, problem)
	}
	err = s.Connections.SetThresholds(c.Request().Context(), conn.OrgID, s.actingUser(c), conn.ID, staleAfter, params)
	var perr *connector.ParamError
	if errors.Is(err, connection.ErrStaleAfter) || errors.As(err, &perr) {
		return s.renderConnection(c, http.StatusUnprocessableEntity, conn, "Not saved: "+thresholdProblem(err)+".")
	}
	if err != nil {
		return err
	}
	flash(c, layout.FlashSuccess, "Thresholds saved.")
	return seeOther(c, orgPath(c, "/connections/"+conn.ID.String()))
}

// parseThresholds reads the thresholds form: whole hours, checked against
// the range before they are turned into a duration (hours beyond it would
// overflow time.Duration and wrap around), and each declared parameter
// against its own range. problem is the form's message when a value is
// refused.
func parseThresholds(hoursRaw string, declared []connector.Param, get func(string) string) (staleAfter time.Duration, params connector.Params, problem string) {
	hours, err := strconv.Atoi(hoursRaw)
	if err != nil {
		return 0, nil, "Enter a whole number of hours."
	}
	minHours, maxHours := int(connection.MinStaleAfter/time.Hour), int(connection.MaxStaleAfter/time.Hour)
	if hours < minHours || hours > maxHours {
		return 0, nil, "Not saved: " + connection.ErrStaleAfter.Error() + "."
	}
	params, err = connector.ParseParams(declared, get)
	if err != nil {
		return 0, nil, "Not saved: " + thresholdProblem(err) + "."
	}
	return time.Duration(hours) * time.Hour, params, ""
}

// thresholdProblem words a refused threshold for the form.
func thresholdProblem(err error) string {
	var perr *connector.ParamError
	if errors.As(err, &perr) {
		return fmt.Sprintf("%s: enter a whole number from %d to %d", perr.Param.Label, perr.Param.Min, perr.Param.Max)
	}
	return err.Error()
}
