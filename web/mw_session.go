package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"
)

// cookieName is the session cookie. It carries only the server-side session
// id, the CSRF token and flashes, authenticated and encrypted.
const cookieName = "attest_session"

// Keys inside the cookie.
const (
	keySessionID = "sid"
	keyCSRF      = "csrf"
)

// loadCookie reads (or starts) the cookie session, makes sure it carries a
// CSRF token, and saves it just before the response is written.
func (s *Server) loadCookie(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		sess, err := s.cookies.Get(c.Request(), cookieName)
		if err != nil {
			// A cookie signed by a retired key, or tampered with: start afresh.
			sess = s.freshCookie()
		}
		if _, ok := sess.Values[keyCSRF].(string); !ok {
			sess.Values[keyCSRF] = randomToken()
		}
		c.Set(ctxCookie, sess)
		c.Response().Before(func() {
			if cur := cookieSession(c); cur != nil {
				_ = cur.Save(c.Request(), c.Response())
			}
		})
		return next(c)
	}
}

// freshCookie starts a new cookie session (used at sign-in and sign-out, so
// no value survives from before).
func (s *Server) freshCookie() *sessions.Session {
	sess := sessions.NewSession(s.cookies, cookieName)
	opts := *s.cookies.Options
	sess.Options = &opts
	sess.IsNew = true
	sess.Values[keyCSRF] = randomToken()
	return sess
}

func csrfToken(c echo.Context) string {
	if sess := cookieSession(c); sess != nil {
		t, _ := sess.Values[keyCSRF].(string)
		return t
	}
	return ""
}

// checkCSRF refuses unsafe requests that come from another site or do not
// carry the session's CSRF token, in a field of the form body or (for htmx)
// a header.
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if site := c.Request().Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
			return echo.NewHTTPError(http.StatusForbidden, "cross-site request refused")
		}
		want := csrfToken(c)
		got := c.Request().Header.Get("X-CSRF-Token")
		if got == "" {
			// The body only (url-encoded or multipart), never the query
			// string: a token in a URL leaks through logs, history and
			// Referer. Echo's FormValue would read the query too.
			got = c.Request().PostFormValue("_csrf")
		}
		if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			return echo.NewHTTPError(http.StatusForbidden, errCSRF)
		}
		return next(c)
	}
}

const errCSRF = "csrf"

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
