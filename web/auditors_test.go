package web_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/webtest"
)

const invitedPassword = "fieldwork passphrase 2026"

// invite creates an invitation as the signed-in owner c and returns the
// link's path, read from the page that shows it once.
func (b *bundle) invite(t *testing.T, c *webtest.Client, org, email string, days int, assessment string) string {
	t.Helper()
	c.Get("/o/" + org + "/auditors")
	r := c.Post("/o/"+org+"/auditors/invitations", url.Values{
		"email": {email}, "access_until": {b.clock.Now().AddDate(0, 0, days).Format(time.DateOnly)}, "assessment": {assessment},
	})
	return b.shownLink(t, c, r, "/o/"+org+"/auditors")
}

// shownLink follows an invite form's redirect to page and reads the link it
// shows once.
func (b *bundle) shownLink(t *testing.T, c *webtest.Client, r *webtest.Response, page string) string {
	t.Helper()
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Equal(t, page, r.Location())
	shown := c.Follow(page)
	require.Equal(t, http.StatusOK, shown.StatusCode)
	require.Equal(t, "no-store", shown.Header.Get("Cache-Control"))
	link := strings.TrimSpace(shown.Doc(t).Find(`[data-testid="invitation-url"]`).Text())
	require.True(t, strings.HasPrefix(link, b.srv.URL+"/invitations/"), link)
	return strings.TrimPrefix(link, b.srv.URL)
}

// acceptNew opens the link in a new browser and sets a password; it returns
// the browser and the response to the form.
func (b *bundle) acceptNew(t *testing.T, link string) (*webtest.Client, *webtest.Response) {
	t.Helper()
	c := b.client(t)
	require.Equal(t, http.StatusOK, c.Get(link).StatusCode)
	return c, c.Post(link, url.Values{"password": {invitedPassword}, "confirm": {invitedPassword}})
}

func (b *bundle) owner(t *testing.T) *webtest.Client {
	t.Helper()
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	return c
}

// count runs a count query in the organization's scope.
func (b *bundle) count(t *testing.T, org uuid.UUID, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, org, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), sql, args...).Scan(&n)
	}))
	return n
}

func requireInvalidLink(t *testing.T, r *webtest.Response) {
	t.Helper()
	require.Equal(t, http.StatusGone, r.StatusCode)
	require.Equal(t, "This invitation link is no longer valid", strings.TrimSpace(r.Doc(t).Find("h1").Text()))
	require.Zero(t, r.Doc(t).Find(`[data-testid="accept-form"]`).Length())
}

func TestOwnerInvitesAuditorWhoAcceptsOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.owner(t)
	link := b.invite(t, owner, "acme", "new.auditor@firm.test", 60, "")

	pending := owner.Get("/o/acme/auditors").Doc(t)
	require.Equal(t, 1, b.count(t, b.org.ID, `SELECT count(*) FROM invitations`), "the form was answered with a redirect: a reload does not invite again")
	require.Equal(t, 1, pending.Find(`[data-testid="invitation-row"][data-email="new.auditor@firm.test"]`).Length())
	require.Zero(t, pending.Find(`[data-testid="invitation-url"]`).Length(), "the link is shown once")

	auditor := b.client(t)
	page := auditor.Get(link)
	require.Equal(t, http.StatusOK, page.StatusCode)
	require.Equal(t, "no-referrer", page.Header.Get("Referrer-Policy"))
	require.Contains(t, page.Doc(t).Find("h1").Text(), "Acme Corp")
	require.Equal(t, "new.auditor@firm.test", page.Doc(t).Find(`[data-testid="invited-email"]`).Text())
	require.Equal(t, 1, page.Doc(t).Find(`input[name="confirm"]`).Length(), "a new account chooses a password, twice")

	r := auditor.Post(link, url.Values{"password": {invitedPassword}, "confirm": {invitedPassword}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Equal(t, "/o/acme/", r.Location())
	home := auditor.Follow("/o/acme/")
	require.Equal(t, http.StatusOK, home.StatusCode)
	require.Equal(t, 1, home.Doc(t).Find(`[data-testid="readonly-badge"]`).Length())
	require.Zero(t, home.Doc(t).Find(`nav a[href="/o/acme/settings"]`).Length(), "auditors see no Settings entry: they cannot change settings")
	for _, p := range []string{"/o/acme/controls", "/o/acme/evidence", "/o/acme/audit"} {
		require.Equal(t, http.StatusOK, auditor.Follow(p).StatusCode, p)
	}
	for _, p := range []string{"/o/acme/settings", "/o/acme/auditors/invitations", "/o/acme/alerts/" + uuid.NewString() + "/acknowledge"} {
		require.Equal(t, http.StatusForbidden, auditor.Post(p, url.Values{"email": {"x@firm.test"}}).StatusCode, p)
	}
	require.Equal(t, http.StatusForbidden, auditor.Get("/o/acme/auditors").StatusCode, "auditors do not manage auditors")

	// The link worked once.
	again := b.client(t)
	requireInvalidLink(t, again.Get(link))
	requireInvalidLink(t, auditor.Post(link, url.Values{"password": {invitedPassword}, "confirm": {invitedPassword}}))

	list := owner.Get("/o/acme/auditors").Doc(t)
	row := list.Find(`[data-testid="auditor-row"][data-email="new.auditor@firm.test"]`)
	require.Equal(t, 1, row.Length())
	require.Contains(t, row.Text(), b.clock.Now().AddDate(0, 0, 60).Format("2 Jan 2006"))
	require.NotContains(t, row.Text(), "Never", "the sign-in is shown")
	require.Zero(t, list.Find(`[data-testid="invitation-row"]`).Length())

	actions := b.auditActions(t, b.org.ID)
	for _, a := range []string{"auditor.invite", "auditor.invitation_accept", "auth.login"} {
		require.Contains(t, actions, a)
	}
}

func TestAuditorAccessEndsByItself(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.clock.Set(time.Date(2026, 11, 2, 23, 30, 0, 0, time.UTC))
	owner := b.owner(t)
	link := b.invite(t, owner, "acme", "brief@firm.test", 0, "") // until the end of today
	auditor, r := b.acceptNew(t, link)
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Equal(t, http.StatusOK, auditor.Follow("/o/acme/").StatusCode)

	// The session is still young; the membership is what ends.
	b.clock.Advance(40 * time.Minute)
	require.Equal(t, http.StatusNotFound, auditor.Get("/o/acme/controls").StatusCode)
	require.Equal(t, http.StatusForbidden, auditor.Get("/").StatusCode, "no organization left")

	fresh := b.client(t)
	fresh.Get("/login")
	denied := fresh.Post("/login", url.Values{"email": {"brief@firm.test"}, "password": {invitedPassword}})
	require.Equal(t, http.StatusForbidden, denied.StatusCode)
	require.Contains(t, denied.Doc(t).Find(`[data-testid="login-error"]`).Text(), "Your access has expired")
	require.Equal(t, 1, countOf(b.auditActions(t, b.org.ID), "auth.login_denied"))

	expired := owner.Get("/o/acme/auditors").Doc(t).Find(`[data-testid="auditor-row"][data-email="brief@firm.test"]`)
	require.Contains(t, expired.Text(), "Expired")
}

func TestAuditorOfTwoOrganizationsSwitchesBetweenThem(t *testing.T) {
	t.Parallel()
	b := setup(t)
	globex, err := b.accounts.CreateOrg(context.Background(), "Globex", "globex", audit.SystemActor("test"))
	require.NoError(t, err)
	b.member(t, globex.ID, "owner@globex.test", ownerPassword, account.RoleOwner, nil)

	auditor, r := b.acceptNew(t, b.invite(t, b.owner(t), "acme", "both@firm.test", 90, ""))
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())

	globexOwner := b.client(t)
	globexOwner.Login("owner@globex.test", ownerPassword)
	link := b.invite(t, globexOwner, "globex", "both@firm.test", 30, "")

	// The account exists: it accepts with its own password.
	page := auditor.Get(link)
	require.Equal(t, http.StatusOK, page.StatusCode)
	wrong := auditor.Post(link, url.Values{"password": {"not my password at all"}, "confirm": {"not my password at all"}})
	require.Equal(t, http.StatusUnauthorized, wrong.StatusCode)
	require.Contains(t, b.auditActions(t, b.org.ID), "auth.login_failed", "a wrong password counts as a failed sign-in")
	r = auditor.Post(link, url.Values{"password": {invitedPassword}, "confirm": {invitedPassword}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Equal(t, "/o/globex/", r.Location())

	for slug, name := range map[string]string{"globex": "Globex", "acme": "Acme Corp"} {
		doc := auditor.Follow("/o/" + slug + "/").Doc(t)
		require.Equal(t, name, strings.TrimSpace(doc.Find(`[data-testid="current-org"]`).Text()))
		switcher := doc.Find(".switcher-list a")
		require.Equal(t, 2, switcher.Length(), "the switcher lists both organizations")
		require.Equal(t, 1, doc.Find(`[data-testid="readonly-badge"]`).Length())
	}
	require.Contains(t, b.auditActions(t, globex.ID), "auditor.invitation_accept")
}

func TestAdminsCannotInviteOrRevoke(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.member(t, b.org.ID, "admin@acme.test", ownerPassword, account.RoleAdmin, nil)
	pendingLink := b.invite(t, b.owner(t), "acme", "pending@firm.test", 30, "")
	admin := b.client(t)
	admin.Login("admin@acme.test", ownerPassword)

	page := admin.Get("/o/acme/auditors")
	require.Equal(t, http.StatusOK, page.StatusCode, "admins see the page")
	require.Equal(t, 1, page.Doc(t).Find(`[data-testid="owners-only"]`).Length())
	require.Zero(t, page.Doc(t).Find(`[data-testid="invite-form"]`).Length())

	r := admin.Post("/o/acme/auditors/invitations", url.Values{"email": {"x@firm.test"}, "access_until": {"2026-12-01"}})
	require.Equal(t, http.StatusForbidden, r.StatusCode)
	auditorID := b.userID(t, auditorEmail)
	require.Equal(t, http.StatusForbidden, admin.Post("/o/acme/auditors/"+auditorID.String()+"/revoke", nil).StatusCode)
	require.Equal(t, 2, countOf(b.auditActions(t, b.org.ID), "access.denied"))
	require.Equal(t, 1, b.count(t, b.org.ID, `SELECT count(*) FROM invitations`), "only the owner's invitation")
	require.Equal(t, http.StatusOK, b.client(t).Get(pendingLink).StatusCode, "the pending link still works")
}

func TestRevokingAnAuditorEndsAccessAtOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	auditor := b.client(t)
	auditor.Login(auditorEmail, auditPassword)
	require.Equal(t, http.StatusOK, auditor.Follow("/o/acme/controls").StatusCode)

	owner := b.owner(t)
	owner.Get("/o/acme/auditors")
	r := owner.Post("/o/acme/auditors/"+b.userID(t, auditorEmail).String()+"/revoke", nil)
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Zero(t, owner.Get("/o/acme/auditors").Doc(t).Find(`[data-testid="auditor-row"]`).Length())

	require.Equal(t, http.StatusNotFound, auditor.Get("/o/acme/controls").StatusCode, "the live session lost the organization")
	fresh := b.client(t)
	fresh.Get("/login")
	denied := fresh.Post("/login", url.Values{"email": {auditorEmail}, "password": {auditPassword}})
	require.Equal(t, http.StatusForbidden, denied.StatusCode)
	require.Contains(t, denied.Text(), "Your access has expired or been revoked")
	actions := b.auditActions(t, b.org.ID)
	require.Contains(t, actions, "auditor.revoke")
	require.Contains(t, actions, "auth.login_denied", "the refusal is recorded where the access ended")

	// Revoking again (or an unknown user) is a 404.
	require.Equal(t, http.StatusNotFound, owner.Post("/o/acme/auditors/"+b.userID(t, auditorEmail).String()+"/revoke", nil).StatusCode)
	require.Equal(t, http.StatusNotFound, owner.Post("/o/acme/auditors/"+b.userID(t, ownerEmail).String()+"/revoke", nil).StatusCode, "owners are not auditors")
}

func TestRevokedAndExpiredLinksAreInvalid(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.owner(t)
	revoked := b.invite(t, owner, "acme", "revoked@firm.test", 30, "")
	expired := b.invite(t, owner, "acme", "late@firm.test", 30, "")
	replaced := b.invite(t, owner, "acme", "twice@firm.test", 30, "")
	current := b.invite(t, owner, "acme", "twice@firm.test", 30, "")

	doc := owner.Get("/o/acme/auditors").Doc(t)
	action, ok := doc.Find(`[data-testid="invitation-row"][data-email="revoked@firm.test"] form`).Attr("action")
	require.True(t, ok)
	r := owner.Post(action, nil)
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Equal(t, http.StatusNotFound, owner.Post(action, nil).StatusCode, "already revoked")
	require.Contains(t, b.auditActions(t, b.org.ID), "auditor.invitation_revoke")
	require.Equal(t, 1, owner.Get("/o/acme/auditors").Doc(t).Find(`[data-testid="invitation-row"][data-email="twice@firm.test"]`).Length(),
		"a new invitation replaces the pending one")

	c := b.client(t)
	requireInvalidLink(t, c.Get(revoked))
	requireInvalidLink(t, c.Get(replaced))
	require.Equal(t, http.StatusOK, c.Get(current).StatusCode)

	b.clock.Advance(8 * 24 * time.Hour)
	requireInvalidLink(t, c.Get(expired))
	requireInvalidLink(t, c.Get(current))

	// Unknown, malformed and foreign links get the very same page.
	random := make([]byte, 32)
	_, _ = rand.Read(random)
	token := base64.RawURLEncoding.EncodeToString(random)
	for _, p := range []string{
		"/invitations/" + b.org.ID.String() + "/" + token,
		"/invitations/" + b.org.ID.String() + "/not-a-token",
		"/invitations/" + uuid.NewString() + "/" + token,
		"/invitations/acme/" + token,
	} {
		requireInvalidLink(t, c.Get(p))
		requireInvalidLink(t, c.Post(p, url.Values{"password": {invitedPassword}, "confirm": {invitedPassword}}))
	}
	logs := b.logs.String()
	for _, reason := range []string{`"reason":"revoked"`, `"reason":"link expired"`, `"reason":"unknown"`, `"reason":"malformed"`} {
		require.Contains(t, logs, reason)
	}
}

func TestInviteBadInputCreatesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.owner(t)
	today := b.clock.Now()
	for _, tc := range []struct {
		name, email, until, assessment, field, message string
	}{
		{"bad email", "not an email", today.AddDate(0, 1, 0).Format(time.DateOnly), "", "email", "Enter a valid email address."},
		{"past date", "a@firm.test", today.AddDate(0, 0, -1).Format(time.DateOnly), "", "access_until", "Choose an access end date in the future."},
		{"over a year", "a@firm.test", today.AddDate(1, 0, 2).Format(time.DateOnly), "", "access_until", "Auditor access can last at most one year."},
		{"no date", "a@firm.test", "", "", "access_until", "Choose the date the auditor's access ends."},
		{"an owner", ownerEmail, today.AddDate(0, 1, 0).Format(time.DateOnly), "", "email", "That person is already an owner or admin of this organization."},
		{"unknown assessment", "a@firm.test", today.AddDate(0, 1, 0).Format(time.DateOnly), uuid.NewString(), "assessment", "Choose one of this organization's assessments."},
		{"malformed assessment", "a@firm.test", today.AddDate(0, 1, 0).Format(time.DateOnly), "x", "assessment", "Choose one of this organization's assessments."},
	} {
		owner.Get("/o/acme/auditors")
		r := owner.Post("/o/acme/auditors/invitations", url.Values{"email": {tc.email}, "access_until": {tc.until}, "assessment": {tc.assessment}})
		require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode, tc.name)
		doc := r.Doc(t)
		require.Equal(t, tc.message, doc.Find("#"+tc.field+"-error").Text(), tc.name)
		require.NotEmpty(t, doc.Find(`[data-testid="form-error"]`).Text(), tc.name)
		require.Zero(t, doc.Find(`[data-testid="invitation-url"]`).Length(), tc.name)
		if tc.email != "not an email" {
			require.Contains(t, r.Text(), `value="`+tc.email+`"`, "%s: what was typed is kept", tc.name)
		}
	}
	require.Zero(t, b.count(t, b.org.ID, `SELECT count(*) FROM invitations`))
	require.Zero(t, countOf(b.auditActions(t, b.org.ID), "auditor.invite"))
}

func TestAcceptBadInputCreatesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	link := b.invite(t, b.owner(t), "acme", "careful@firm.test", 30, "")
	c := b.client(t)
	c.Get(link)
	for _, tc := range []struct {
		name, password, confirm, field, message string
	}{
		{"short", "too short", "too short", "password", "Password must be at least 12 characters."},
		{"mismatch", invitedPassword, invitedPassword + "!", "confirm", "The two passwords do not match."},
		{"the email", "careful@firm.test", "careful@firm.test", "password", "Password must not be your email address."},
	} {
		r := c.Post(link, url.Values{"password": {tc.password}, "confirm": {tc.confirm}})
		require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode, tc.name)
		doc := r.Doc(t)
		require.Equal(t, tc.message, doc.Find("#"+tc.field+"-error").Text(), tc.name)
		doc.Find(`input[type="password"]`).Each(func(_ int, in *goquerySelection) {
			require.Empty(t, in.AttrOr("value", ""), "%s: passwords are never echoed", tc.name)
		})
	}
	require.Zero(t, b.count(t, b.org.ID, `SELECT count(*) FROM users WHERE email = 'careful@firm.test'`))
	require.Zero(t, b.count(t, b.org.ID, `SELECT count(*) FROM invitations WHERE accepted_at IS NOT NULL`))

	r := c.Post(link, url.Values{"password": {invitedPassword}, "confirm": {invitedPassword}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, "the link still works after the mistakes")
}

func TestInvitationLimitedToAnAssessment(t *testing.T) {
	t.Parallel()
	b := setup(t)
	assessment := b.assessment(t, b.org.ID, "FY2026 Type II")
	owner := b.owner(t)
	form := owner.Get("/o/acme/auditors").Doc(t)
	require.Equal(t, 1, form.Find(`select[name="assessment"] option[value="`+assessment.String()+`"]`).Length())
	link := b.invite(t, owner, "acme", "scoped@firm.test", 30, assessment.String())

	page := b.client(t).Get(link)
	require.Contains(t, page.Doc(t).Find(".card p").First().Text(), "FY2026 Type II")
	scoped, r := b.acceptNew(t, link)
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Equal(t, "/o/acme/assessments/"+assessment.String(), r.Location(), "the auditor lands on the assessment they were invited to")
	require.Equal(t, http.StatusOK, scoped.Get(r.Location()).StatusCode)
	require.Equal(t, 1, b.count(t, b.org.ID, `SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE u.email = 'scoped@firm.test' AND m.role = 'auditor' AND m.assessment_id = $1`, assessment))
	row := owner.Get("/o/acme/auditors").Doc(t).Find(`[data-testid="auditor-row"][data-email="scoped@firm.test"]`)
	require.Contains(t, row.Text(), "FY2026 Type II")

	// Another organization's assessment is refused, though it exists.
	globex, err := b.accounts.CreateOrg(context.Background(), "Globex", "globex", audit.SystemActor("test"))
	require.NoError(t, err)
	foreign := b.assessment(t, globex.ID, "Globex audit")
	owner.Get("/o/acme/auditors")
	refused := owner.Post("/o/acme/auditors/invitations", url.Values{"email": {"other@firm.test"},
		"access_until": {b.clock.Now().AddDate(0, 1, 0).Format(time.DateOnly)}, "assessment": {foreign.String()}})
	require.Equal(t, http.StatusUnprocessableEntity, refused.StatusCode)
	require.NotContains(t, refused.Text(), "Globex audit")
}

func TestInvitationSecretIsNeverStoredOrLogged(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.owner(t)
	link := b.invite(t, owner, "acme", "secret@firm.test", 30, "")
	token := link[strings.LastIndex(link, "/")+1:]
	require.Len(t, token, 43, "32 bytes, base64url")
	_, r := b.acceptNew(t, link)
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	b.client(t).Get(link) // a refused reuse is logged too

	raw, err := base64.RawURLEncoding.DecodeString(token)
	require.NoError(t, err)
	hash := sha256.Sum256(raw)
	require.Equal(t, 1, b.count(t, b.org.ID, `SELECT count(*) FROM invitations WHERE token_hash = $1`, hash[:]), "only the SHA-256 is kept")
	dump, err := exec.Command(pgDump(t), "--data-only", "--dbname", b.tdb.AdminURL).CombinedOutput()
	require.NoError(t, err, string(dump))
	require.Contains(t, string(dump), "secret@firm.test", "the dump holds the invitation")
	require.NotContains(t, string(dump), token, "database dump")
	logs := b.logs.String()
	require.Contains(t, logs, "/invitations/"+b.org.ID.String()+"/[redacted]")
	require.NotContains(t, logs, token, "logs")
	require.NotContains(t, logs, invitedPassword, "logs")
	require.NotContains(t, owner.Get("/o/acme/auditors").Text(), token, "shown once only")
	require.NotContains(t, owner.Get("/o/acme/audit").Text(), token, "audit log")
}

// userID looks a user up by email.
func (b *bundle) userID(t *testing.T, email string) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	require.NoError(t, db.Tx(context.Background(), b.tdb.Pool, func(tx pgx.Tx) error {
		u, err := q.UserGetByEmail(context.Background(), tx, email)
		id = u.ID
		return err
	}))
	return id
}

// assessment creates a draft assessment directly in the database.
func (b *bundle) assessment(t *testing.T, org uuid.UUID, name string) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, org, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `INSERT INTO assessments (org_id, name, framework, period_start, period_end, status, created_at)
			VALUES ($1, $2, 'soc2', '2026-01-01', '2026-12-31', 'draft', $3) RETURNING id`, org, name, b.clock.Now()).Scan(&id)
	}))
	return id
}
