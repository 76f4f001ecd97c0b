package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/views/layout"
	authpage "github.com/attesthq/attest/views/pages/auth"
)

// loginPage shows the sign-in form (or skips it for a signed-in user).
func (s *Server) loginPage(c echo.Context) error {
	if token, ok := cookieSession(c).Values[keySessionID].([]byte); ok {
		if _, err := s.Auth.Lookup(c.Request().Context(), token); err == nil {
			return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
		}
	}
	return s.render(c, http.StatusOK, authpage.Login(authpage.LoginForm{Next: safeNext(c.QueryParam("next")), Flashes: takeFlashes(c)}))
}

// login checks the credentials. Every failure gets the same message; a
// success replaces the whole cookie (new session id, new CSRF token).
func (s *Server) login(c echo.Context) error {
	email := c.FormValue("email")
	next := safeNext(c.FormValue("next"))
	form := authpage.LoginForm{Email: email, Next: next}
	sess, err := s.Auth.Login(c.Request().Context(), email, c.FormValue("password"), auth.Client{
		IP: c.RealIP(), UserAgent: c.Request().UserAgent(), RequestID: requestID(c),
	})
	var throttled *auth.ThrottledError
	switch {
	case errors.Is(err, auth.ErrInvalidCredentials):
		form.Error = "Incorrect email or password."
		return s.render(c, http.StatusUnauthorized, authpage.Login(form))
	case errors.As(err, &throttled):
		form.Error = throttledAnswer(c, throttled)
		return s.render(c, http.StatusTooManyRequests, authpage.Login(form))
	case errors.Is(err, auth.ErrAccessExpired):
		form.Error = "Your access has expired or been revoked. Ask the organization's owner for a new invitation."
		return s.render(c, http.StatusForbidden, authpage.Login(form))
	case err != nil:
		return err
	}
	cookie := s.freshCookie()
	cookie.Values[keySessionID] = sess.Token
	c.Set(ctxCookie, cookie)
	return c.Redirect(http.StatusSeeOther, next)
}

// logout revokes the session server-side and clears the cookie.
func (s *Server) logout(c echo.Context) error {
	if u := currentUser(c); u != nil {
		if err := s.Auth.Revoke(c.Request().Context(), u.Token); err != nil {
			return err
		}
	}
	c.Set(ctxCookie, s.freshCookie())
	flash(c, layout.FlashInfo, "You have been signed out.")
	return seeOther(c, "/login")
}

func waitText(d time.Duration) string {
	if d < time.Minute {
		n := int(math.Ceil(d.Seconds()))
		if n == 1 {
			return "1 second"
		}
		return fmt.Sprintf("%d seconds", n)
	}
	n := int(math.Ceil(d.Minutes()))
	if n == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", n)
}

// throttledAnswer sets Retry-After for a sign-in that was not evaluated and
// returns the sentence that explains it: too many failures, or (Busy) too
// many sign-ins at once.
func throttledAnswer(c echo.Context, throttled *auth.ThrottledError) string {
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(throttled.RetryAfter.Seconds()))))
	if throttled.Busy {
		return fmt.Sprintf("Too many sign-ins at once. Try again in %s.", waitText(throttled.RetryAfter))
	}
	return fmt.Sprintf("Too many failed sign-in attempts. Try again in %s.", waitText(throttled.RetryAfter))
}
