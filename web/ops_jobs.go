package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"
	"riverqueue.com/riverui"
)

// JobsUIPrefix is where the River UI is mounted, inside the operator console.
const JobsUIPrefix = "/ops/jobs"

// NewJobsUI builds the River UI for client (an insert-only client is
// enough). It has no authentication or CSRF protection of its own: serve it
// only through Deps.JobsUI, and start it (Start) for the server's lifetime.
// Job arguments hold ids only, never secrets.
func NewJobsUI(client *river.Client[pgx.Tx], log *slog.Logger) (*riverui.Handler, error) {
	h, err := riverui.NewHandler(&riverui.HandlerOpts{
		Endpoints: riverui.NewEndpoints(client, nil), Logger: log, Prefix: JobsUIPrefix,
	})
	if err != nil {
		return nil, fmt.Errorf("web: jobs console: %w", err)
	}
	return h, nil
}

// sameOrigin refuses an unsafe request a browser sent from another origin.
// The River UI posts JSON without the form's CSRF token, so its requests
// are held to the same origin instead (Sec-Fetch-Site, or else Origin
// against Host: http.CrossOriginProtection).
func sameOrigin() echo.MiddlewareFunc {
	cop := http.NewCrossOriginProtection()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := cop.Check(c.Request()); err != nil {
				return echo.NewHTTPError(http.StatusForbidden, "cross-site request refused")
			}
			return next(c)
		}
	}
}

// jobsUIStyles lets the River UI's pages apply the inline styles its
// components inject: the console is otherwise unstyled in places. Scripts
// stay 'self' only, so this opens no script injection.
func jobsUIStyles(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", strings.Replace(h.Get("Content-Security-Policy"),
			"style-src 'self'", "style-src 'self' 'unsafe-inline'", 1))
		return next(c)
	}
}
