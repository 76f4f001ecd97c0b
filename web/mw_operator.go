package web

import (
	"fmt"

	"github.com/labstack/echo/v4"
)

// requireOperator lets platform operators through. Anyone else, whatever
// their organization roles, gets the same 404 as a page that does not exist:
// the console does not reveal itself.
func (s *Server) requireOperator(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ok, err := q.OperatorExists(c.Request().Context(), s.Pool, currentUser(c).UserID)
		if err != nil {
			return fmt.Errorf("web: check operator: %w", err)
		}
		if !ok {
			return echo.ErrNotFound
		}
		return next(c)
	}
}
