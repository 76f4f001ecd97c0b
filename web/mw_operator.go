package web

import (
	"fmt"

	"github.com/labstack/echo/v4"
)

// requireOperator lets signed-in platform operators through. Anyone else,
// signed in with whatever organization roles or not signed in at all, gets
// the same 404 as a page that does not exist: the console does not reveal
// itself, not even by sending a visitor to the sign-in page.
func (s *Server) requireOperator(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		signedIn, err := s.signIn(c)
		if err != nil {
			return err
		}
		if !signedIn {
			return echo.ErrNotFound
		}
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
