package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLoginSucceedsAndLandsInTheOrganization(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	r := c.Login(ownerEmail, ownerPassword)
	require.Equal(t, "/", r.Location())
	r = c.Get("/")
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	require.Equal(t, "/o/acme/", r.Location())
	page := c.Follow("/o/acme/")
	require.Equal(t, http.StatusOK, page.StatusCode)
	require.Equal(t, "Acme Corp", strings.TrimSpace(page.Doc(t).Find(`[data-testid="current-org"]`).Text()))
	require.Contains(t, b.auditActions(t, b.org.ID), "auth.login")
}

func TestLoginFailureIsGenericAndAudited(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Get("/login")
	wrong := c.Post("/login", url.Values{"email": {ownerEmail}, "password": {"not the password"}})
	c.Get("/login")
	unknown := c.Post("/login", url.Values{"email": {"nobody@acme.test"}, "password": {"not the password"}})
	for _, r := range []*struct {
		status int
		text   string
	}{{wrong.StatusCode, wrong.Doc(t).Find(`[data-testid="login-error"]`).Text()}, {unknown.StatusCode, unknown.Doc(t).Find(`[data-testid="login-error"]`).Text()}} {
		require.Equal(t, http.StatusUnauthorized, r.status)
		require.Equal(t, "Incorrect email or password.", r.text)
	}
	require.Equal(t, 1, countOf(b.auditActions(t, b.org.ID), "auth.login_failed"))
	// The email is kept in the form, the password never is.
	require.Contains(t, wrong.Text(), `value="`+ownerEmail+`"`)
	require.NotContains(t, wrong.Text(), "not the password")
}

func TestLoginThrottlesThenLocksAccount(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	fail := func() *http.Response {
		c.Get("/login")
		return c.Post("/login", url.Values{"email": {ownerEmail}, "password": {"guess"}}).Response
	}
	for i := 0; i < 3; i++ {
		require.Equal(t, http.StatusUnauthorized, fail().StatusCode)
	}
	// The fourth attempt right away is slowed down without being evaluated,
	// even with the right password.
	c.Get("/login")
	r := c.Post("/login", url.Values{"email": {ownerEmail}, "password": {ownerPassword}})
	require.Equal(t, http.StatusTooManyRequests, r.StatusCode)
	require.Equal(t, "1", r.Header.Get("Retry-After"))
	require.Contains(t, r.Doc(t).Find(`[data-testid="login-error"]`).Text(), "Try again in 1 second")

	// Keep failing, waiting out each delay, until the account locks.
	for i := 3; i < 10; i++ {
		b.clock.Advance(2 * time.Minute)
		require.Equal(t, http.StatusUnauthorized, fail().StatusCode)
	}
	b.clock.Advance(2 * time.Minute)
	c.Get("/login")
	r = c.Post("/login", url.Values{"email": {ownerEmail}, "password": {ownerPassword}})
	require.Equal(t, http.StatusTooManyRequests, r.StatusCode)
	require.Contains(t, r.Text(), "Try again in 13 minutes")
	actions := b.auditActions(t, b.org.ID)
	require.Equal(t, 10, countOf(actions, "auth.login_failed"))
	require.Equal(t, 1, countOf(actions, "auth.lockout"))

	// The lock ends by itself.
	b.clock.Advance(15 * time.Minute)
	c.Login(ownerEmail, ownerPassword)
}

func TestLoginIssuesANewSessionID(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// An attacker plants a cookie they know in the victim's browser.
	attacker := b.client(t)
	attacker.Get("/login")
	planted := attacker.Cookies()

	victim := b.client(t)
	victim.SetCookies(planted)
	victim.Login(ownerEmail, ownerPassword)
	require.NotEqual(t, cookieValue(planted), cookieValue(victim.Cookies()))
	require.Equal(t, http.StatusOK, victim.Follow("/o/acme/audit").StatusCode)
	// The planted cookie did not become a signed-in session.
	require.Equal(t, http.StatusSeeOther, attacker.Get("/o/acme/audit").StatusCode)

	// Signing in again in the same browser issues yet another id.
	first := cookieValue(victim.Cookies())
	victim.Post("/logout", nil)
	victim.Login(ownerEmail, ownerPassword)
	require.NotEqual(t, first, cookieValue(victim.Cookies()))
	var sessions int
	require.NoError(t, b.tdb.Pool.QueryRow(t.Context(), `SELECT count(DISTINCT id_hash) FROM sessions`).Scan(&sessions))
	require.Equal(t, 2, sessions)
}

func TestLogoutKillsTheOldCookie(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	c.Follow("/o/acme/audit")
	old := c.Cookies()
	r := c.Post("/logout", nil)
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	require.Equal(t, "/login", r.Location())

	replay := b.client(t)
	replay.SetCookies(old)
	r = replay.Get("/o/acme/audit")
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	require.True(t, strings.HasPrefix(r.Location(), "/login?next="), r.Location())
}

func TestSessionTimeouts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	// Active use keeps the session alive up to its absolute age.
	for i := 0; i < 11; i++ {
		b.clock.Advance(55 * time.Minute)
		require.Equal(t, http.StatusOK, c.Follow("/o/acme/audit").StatusCode, "after %d hours", i+1)
	}
	b.clock.Advance(70 * time.Minute) // past 12 hours since sign-in
	require.Equal(t, http.StatusSeeOther, c.Get("/o/acme/audit").StatusCode)

	idle := b.client(t)
	idle.Login(ownerEmail, ownerPassword)
	b.clock.Advance(61 * time.Minute)
	require.Equal(t, http.StatusSeeOther, idle.Get("/o/acme/audit").StatusCode)
}

func TestExpiredAuditorCannotSignIn(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.clock.Advance(31 * 24 * time.Hour)
	c := b.client(t)
	c.Get("/login")
	r := c.Post("/login", url.Values{"email": {auditorEmail}, "password": {auditPassword}})
	require.Equal(t, http.StatusForbidden, r.StatusCode)
	require.Contains(t, r.Text(), "Your access has expired")
	require.Contains(t, b.auditActions(t, b.org.ID), "auth.login_denied")
}

func TestNextParameterOnlyAcceptsLocalPaths(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example"} {
		c := b.client(t)
		c.Get("/login")
		r := c.Post("/login", url.Values{"email": {ownerEmail}, "password": {ownerPassword}, "next": {next}})
		require.Equal(t, "/", r.Location(), next)
	}
	c := b.client(t)
	c.Get("/login")
	r := c.Post("/login", url.Values{"email": {ownerEmail}, "password": {ownerPassword}, "next": {"/o/acme/audit"}})
	require.Equal(t, "/o/acme/audit", r.Location())
}

func cookieValue(cs []*http.Cookie) string {
	for _, c := range cs {
		if c.Name == "attest_session" {
			return c.Value
		}
	}
	return ""
}
