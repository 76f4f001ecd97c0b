package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
)

// healthz answers while the process is up.
func (s *Server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

// readyz answers 200 when the database is reachable and its schema current;
// the reason for a 503 is logged, not shown.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	if err := db.CheckReady(ctx, s.Pool); err != nil {
		s.Log.WarnContext(ctx, "not ready", slog.Any("err", err))
		return c.String(http.StatusServiceUnavailable, "not ready\n")
	}
	return c.String(http.StatusOK, "ready\n")
}

// HealthHandler serves only the health checks, for a process that runs jobs
// and no web application.
func (s *Server) HealthHandler() http.Handler {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	return e
}
