package web

import (
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
)

// home sends a signed-in user to their first organization, or a platform
// operator without one to the operator console.
func (s *Server) home(c echo.Context) error {
	user := currentUser(c)
	now := s.Clock.Now()
	target := ""
	err := db.AsUser(c.Request().Context(), s.Pool, user.UserID, func(tx pgx.Tx) error {
		rows, err := q.OrgListForUser(c.Request().Context(), tx, user.UserID)
		for _, r := range rows {
			if target == "" && (r.ExpiresAt == nil || now.Before(*r.ExpiresAt)) {
				target = "/o/" + r.Organization.Slug + "/"
			}
		}
		if err != nil || target != "" {
			return err
		}
		operator, err := q.OperatorExists(c.Request().Context(), tx, user.UserID)
		if operator {
			target = "/ops"
		}
		return err
	})
	if err != nil {
		return err
	}
	if target == "" {
		return echo.NewHTTPError(http.StatusForbidden, "You are not a member of any organization, or your access has expired.")
	}
	return c.Redirect(http.StatusSeeOther, target)
}
