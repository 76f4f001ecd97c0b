package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// ASVS 5.1.4 / 5.2.1: every query, path and form value is refused at the
// edge when it holds a NUL byte or invalid UTF-8, with a 400 that says so,
// never a 500 from the database.

func TestNULAndInvalidUTF8InQueriesAndPathsAnswer400(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	conn := "/o/acme/connections/" + uuid.NewString()
	for _, path := range []string{
		"/o/acme/evidence?subject=%00",
		"/o/acme/evidence?kind=entra.user%00",
		"/o/acme/evidence?subject=%ff%fe",
		"/o/acme/evidence/export?kind=%00",
		"/o/acme/audit?action=%c3%28",
		conn + "/checks/%00",
		"/o/acme/controls/CC6.1%00",
		"/o/acme/%ff/x",
		"/login?next=%00",
		"/o/acme/evidence?%00=1",
	} {
		r := c.Get(path)
		require.Equal(t, http.StatusBadRequest, r.StatusCode, path)
		require.Contains(t, r.Text(), "not valid UTF-8", path)
	}
	require.NotContains(t, b.logs.String(), "request failed")

	for _, subject := range []string{"Zoë Ünïcode", "a" + strings.Repeat("é", 150)} {
		// The second is cut to the filter's 200 bytes without splitting a
		// character (a split made invalid UTF-8 of valid input).
		ok := c.Get("/o/acme/evidence?subject=" + url.QueryEscape(subject))
		require.Equal(t, http.StatusOK, ok.StatusCode, subject)
	}
	require.NotContains(t, b.logs.String(), "request failed")
}

func TestNULAndInvalidUTF8InFormsAnswer400(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	c.Get("/o/acme/assessments")
	conn := "/o/acme/connections/" + uuid.NewString()
	for _, p := range []struct {
		path string
		form url.Values
	}{
		{"/o/acme/assessments", url.Values{"name": {"FY26\x00"}, "period_start": {"2026-01-01"}, "period_end": {"2026-06-30"}}},
		{"/o/acme/assessments", url.Values{"name": {"FY26 \xff"}, "period_start": {"2026-01-01"}, "period_end": {"2026-06-30"}}},
		{conn + "/checks/mfa_registered/exclusions", url.Values{"subject": {"u\x00"}, "reason": {"break glass"}, "expires": {"2026-12-01"}}},
		{conn + "/checks/mfa_registered/exclusions", url.Values{"subject": {"u"}, "reason": {"break\x00glass"}, "expires": {"2026-12-01"}}},
		{conn + "/settings", url.Values{"stale_hours": {"6\x00"}, "inactive_days": {"90"}}},
		{"/o/acme/settings", url.Values{"retention_days": {"\xc3\x28"}}},
		{"/o/acme/auditors/invitations", url.Values{"email": {"a\x00@b.test"}}},
		{"/logout", url.Values{"x\x00": {"1"}}},
	} {
		r := c.Post(p.path, p.form)
		require.Equal(t, http.StatusBadRequest, r.StatusCode, "%s %q", p.path, p.form)
		require.Contains(t, r.Text(), "not valid UTF-8", p.path)
	}
	anon := b.client(t)
	anon.Get("/login")
	r := anon.Post("/login", url.Values{"email": {ownerEmail + "\x00"}, "password": {ownerPassword}})
	require.Equal(t, http.StatusBadRequest, r.StatusCode)
	require.NotContains(t, b.logs.String(), "request failed")
	require.Zero(t, countOf(b.auditActions(t, b.org.ID), "assessment.create"))
}

// The document upload routes stream their multipart body past the global
// form check; their text fields pass the same gate on the way, before the
// file is read.
func TestNULAndInvalidUTF8InAStreamedUploadAnswer400(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	page := c.Get("/o/acme/documents/new")
	owner := page.Doc(t).Find(`select[name="owner"] option[selected]`).AttrOr("value", "")
	for _, title := range []string{"Policy\x00", "Policy \xff"} {
		fields := newDocumentFields(c, owner, "CC1.1")
		fields[1].value = title
		r := upload(t, c, "/o/acme/documents", fields, "policy.pdf", strings.NewReader(policyPDF))
		require.Equal(t, http.StatusBadRequest, r.StatusCode, "%q", title)
		require.Contains(t, r.Text(), "not valid UTF-8")
	}
	require.Zero(t, b.count(t, b.org.ID, `SELECT count(*) FROM documents`))
}
