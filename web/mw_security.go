package web

import (
	"strings"

	"github.com/labstack/echo/v4"
)

// securityHeaders sets the headers every response carries. The
// Content-Security-Policy allows no inline script or style; form-action lists
// the identity-platform origins the connect wizard redirects to.
func (s *Server) securityHeaders(formTargets []string) echo.MiddlewareFunc {
	csp := strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src 'self' data:",
		"connect-src 'self'",
		"font-src 'self'",
		"manifest-src 'self'",
		"form-action " + strings.Join(append([]string{"'self'"}, formTargets...), " "),
		"frame-ancestors 'none'",
		"base-uri 'none'",
	}, "; ")
	https := s.Config.SecureCookies()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
			if https {
				h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
			}
			return next(c)
		}
	}
}
