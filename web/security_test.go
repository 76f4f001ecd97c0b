package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
)

func TestCSRFIsRequiredOnUnsafeRequests(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	c.Follow("/o/acme/audit")

	missing := c.PostRaw("/logout", url.Values{}, nil)
	require.Equal(t, http.StatusForbidden, missing.StatusCode)
	require.Contains(t, missing.Text(), "This form has expired")

	wrong := c.PostRaw("/logout", url.Values{"_csrf": {"forged"}}, nil)
	require.Equal(t, http.StatusForbidden, wrong.StatusCode)

	crossSite := c.PostRaw("/logout", url.Values{"_csrf": {c.CSRF}}, http.Header{"Sec-Fetch-Site": {"cross-site"}})
	require.Equal(t, http.StatusForbidden, crossSite.StatusCode)

	// The htmx header works as well as the form field; the session survived
	// the refused attempts.
	ok := c.PostRaw("/logout", url.Values{}, http.Header{"X-Csrf-Token": {c.CSRF}})
	require.Equal(t, http.StatusSeeOther, ok.StatusCode)
}

func TestAuditorWritesAreRefusedAndAudited(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(auditorEmail, auditPassword)
	page := c.Follow("/o/acme/audit")
	require.Equal(t, http.StatusOK, page.StatusCode)
	require.Equal(t, 1, page.Doc(t).Find(`[data-testid="readonly-badge"]`).Length())

	r := c.Post("/o/acme/audit", nil)
	require.Equal(t, http.StatusForbidden, r.StatusCode)
	require.Contains(t, r.Text(), "Auditor access is read-only")
	require.Equal(t, 1, countOf(b.auditActions(t, b.org.ID), "access.denied"))
}

func TestAnotherOrganizationAnswers404(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other, err := b.accounts.CreateOrg(context.Background(), "Globex", "globex", audit.SystemActor("test"))
	require.NoError(t, err)
	b.member(t, other.ID, "owner@globex.test", ownerPassword, account.RoleOwner, nil)

	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	foreign := c.Get("/o/globex/audit")
	missing := c.Get("/o/no-such-org/audit")
	require.Equal(t, http.StatusNotFound, foreign.StatusCode)
	require.Equal(t, http.StatusNotFound, missing.StatusCode)
	title := func(r *goquery.Document) string { return r.Find("h1").Text() }
	require.Equal(t, title(missing.Doc(t)), title(foreign.Doc(t)), "no existence oracle")
	require.NotContains(t, foreign.Text(), "Globex")
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.client(t).Get("/login")
	h := r.Header
	csp := h.Get("Content-Security-Policy")
	require.Contains(t, csp, "script-src 'self'")
	require.Contains(t, csp, "frame-ancestors 'none'")
	require.NotContains(t, csp, "unsafe-inline")
	require.NotContains(t, csp, "unsafe-eval")
	require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
	require.Equal(t, "same-origin", h.Get("Referrer-Policy"))
	require.Equal(t, "DENY", h.Get("X-Frame-Options"))
	require.Empty(t, h.Get("Strict-Transport-Security"), "HSTS only on https")
	setCookie := h.Get("Set-Cookie")
	require.Contains(t, setCookie, "HttpOnly")
	require.Contains(t, setCookie, "SameSite=Lax")
	require.NotContains(t, setCookie, "Secure", "plain-http base URL")
	r.Doc(t).Find("script").Each(func(_ int, s *goquery.Selection) {
		src, ok := s.Attr("src")
		require.True(t, ok && src != "", "inline script on the page")
		require.Empty(t, s.Text())
	})
	require.Zero(t, r.Doc(t).Find("[style]").Length(), "inline style attributes are blocked by the CSP")
}

func TestErrorPagesLeakNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	require.Equal(t, http.StatusOK, c.Follow("/o/acme/audit").StatusCode)

	// Break the database behind the application's back.
	conn, err := pgx.Connect(context.Background(), b.tdb.AdminURL)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	_, err = conn.Exec(context.Background(), `ALTER TABLE audit_heads RENAME TO audit_heads_moved`)
	require.NoError(t, err)

	r := c.Get("/o/acme/audit")
	require.Equal(t, http.StatusInternalServerError, r.StatusCode)
	doc := r.Doc(t)
	require.Equal(t, "Something went wrong on our side", doc.Find("h1").Text())
	ref := doc.Find(`[data-testid="request-id"]`).Text()
	require.Len(t, ref, 16)
	require.Equal(t, ref, r.Header.Get("X-Request-ID"))
	for _, leak := range []string{"audit_heads", "relation", "SQLSTATE", "goroutine", ".go:", "pgx"} {
		require.NotContains(t, r.Text(), leak)
	}
	// The operator can find the cause by the reference.
	require.Contains(t, b.logs.String(), ref)
	require.Contains(t, b.logs.String(), "audit_heads")

	nf := c.Get("/no/such/page")
	require.Equal(t, http.StatusNotFound, nf.StatusCode)
	require.Equal(t, "Page not found", nf.Doc(t).Find("h1").Text())
}

func TestLogsNeverHoldSecrets(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Get("/login")
	c.Post("/login?next=/o/acme/audit", url.Values{"email": {ownerEmail}, "password": {"a wrong password value"}})
	c.Login(ownerEmail, ownerPassword)
	c.Follow("/o/acme/audit?token=query-secret-value")
	logs := b.logs.String()
	require.Contains(t, logs, `"route":"/o/:org/audit"`)
	for _, secret := range []string{ownerPassword, "a wrong password value", cookieValue(c.Cookies()), c.CSRF, "query-secret-value"} {
		require.NotEmpty(t, secret)
		require.NotContains(t, logs, secret)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	require.Equal(t, http.StatusOK, c.Get("/healthz").StatusCode)
	r := c.Get("/readyz")
	require.Equal(t, http.StatusOK, r.StatusCode, r.Text())

	conn, err := pgx.Connect(context.Background(), b.tdb.AdminURL)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	_, err = conn.Exec(context.Background(), `DELETE FROM goose_db_version WHERE version_id = (SELECT max(version_id) FROM goose_db_version)`)
	require.NoError(t, err)
	require.Equal(t, http.StatusServiceUnavailable, c.Get("/readyz").StatusCode)
}
