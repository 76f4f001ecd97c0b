package web

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/logctx"
)

// requestContext gives every request an id (sent back as X-Request-ID and
// shown on error pages), a context whose every log line carries it
// (logctx), and audit metadata; then logs one line per request and counts it
// in the metrics by route pattern. The line holds the route and path without
// the query string, so codes, states and tokens never reach the log (nor the
// secret in an invitation link's path: see loggedPath).
func (s *Server) requestContext(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		c.Set(ctxRequestID, id)
		c.Response().Header().Set("X-Request-ID", id)
		req := c.Request()
		ctx := audit.WithRequest(req.Context(), audit.Request{IP: c.RealIP(), RequestID: id})
		ctx = logctx.With(ctx, slog.String("request_id", id))
		c.SetRequest(req.WithContext(ctx))

		err := next(c)
		if err != nil {
			c.Error(err)
		}
		took := time.Since(start)
		s.Metrics.ObserveHTTP(req.Method, c.Path(), c.Response().Status, took)
		attrs := []any{
			slog.String("method", req.Method),
			slog.String("route", c.Path()),
			slog.String("path", loggedPath(req.URL.Path)),
			slog.Int("status", c.Response().Status),
			slog.Int64("bytes", c.Response().Size),
			slog.Float64("duration_ms", float64(took.Microseconds())/1000),
			slog.String("ip", c.RealIP()),
		}
		if u := currentUser(c); u != nil {
			attrs = append(attrs, slog.String("user_id", u.UserID.String()))
		}
		if o := currentOrg(c); o.Slug != "" {
			attrs = append(attrs, slog.String("org_id", o.ID.String()))
		}
		s.Log.InfoContext(ctx, "http request", attrs...)
		return nil
	}
}

// invitationPrefix starts the public invitation links, whose last segment
// is a secret.
const invitationPrefix = "/invitations/"

// loggedPath is the request path as logged: an invitation link keeps its
// organization id and loses everything after it, whatever route matched.
func loggedPath(p string) string {
	rest, ok := strings.CutPrefix(p, invitationPrefix)
	if !ok {
		return p
	}
	org, _, _ := strings.Cut(rest, "/")
	return invitationPrefix + org + "/[redacted]"
}
