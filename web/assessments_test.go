package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/webtest"
	"github.com/attesthq/attest/views/components"
)

// createAssessment creates a draft over the last 30 days through the form
// and returns its path.
func (b *bundle) createAssessment(t *testing.T, c *webtest.Client, name string) string {
	t.Helper()
	today := b.clock.Now().UTC()
	c.Get("/o/acme/assessments")
	r := c.Post("/o/acme/assessments", url.Values{"name": {name},
		"period_start": {today.AddDate(0, 0, -30).Format(time.DateOnly)}, "period_end": {today.Format(time.DateOnly)}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	return r.Location()
}

func (b *bundle) evidenceCount(t *testing.T) int {
	t.Helper()
	var n int
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM evidence`).Scan(&n)
	}))
	return n
}

func TestAssessmentFromDraftToApproval(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	b.connectAndSync(t, c)
	path := b.createAssessment(t, c, "FY26 Type II")
	total := b.evidenceCount(t)

	page := c.Get(path).Doc(t)
	require.Equal(t, "draft", page.Find(`[data-testid="assessment-status"]`).AttrOr("data-status", ""))
	require.Equal(t, shown(total), page.Find(`[data-testid="assessment-records"]`).Text())
	require.Zero(t, page.Find(`[data-testid="root-hash"]`).Length())
	require.Equal(t, 50, page.Find(`[data-testid="attached-row"]`).Length(), "paginated")

	// Remove one record by hand.
	removeURL := page.Find(`[data-testid="attached-row"] form`).First().AttrOr("action", "")
	require.Equal(t, http.StatusSeeOther, c.Post(removeURL, nil).StatusCode)
	page = c.Get(path).Doc(t)
	require.Equal(t, shown(total-1), page.Find(`[data-testid="assessment-records"]`).Text())

	// Submit, then approve.
	require.Equal(t, http.StatusSeeOther, c.Post(path+"/submit", nil).StatusCode)
	page = c.Get(path).Doc(t)
	require.Equal(t, "review", page.Find(`[data-testid="assessment-status"]`).AttrOr("data-status", ""))
	require.Zero(t, page.Find(`[data-testid="remove-evidence"]`).Length(), "no removals in review")
	require.Equal(t, 1, page.Find(`[data-testid="approve"]`).Length())
	require.Equal(t, http.StatusSeeOther, c.Post(path+"/approve", nil).StatusCode)
	page = c.Get(path).Doc(t)
	require.Equal(t, "approved", page.Find(`[data-testid="assessment-status"]`).AttrOr("data-status", ""))
	require.Len(t, page.Find(`[data-testid="root-hash"]`).Text(), 64)
	require.Equal(t, 1, page.Find(`[data-testid="coverage-approval"]`).Length())
	require.Equal(t, 1, page.Find(`[data-testid="coverage-today"]`).Length())
	require.Zero(t, page.Find(`[data-testid="submit"], [data-testid="approve"], [data-testid="reopen"]`).Length())

	// A step the status no longer allows explains itself and changes nothing.
	r := c.Post(path+"/reopen", nil)
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	require.Contains(t, c.Get(path).Text(), "status does not allow that step")
	actions := b.auditActions(t, b.org.ID)
	for _, want := range []string{"assessment.create", "assessment.detach", "assessment.submit", "assessment.approve"} {
		require.Equal(t, 1, countOf(actions, want), want)
	}
	require.Zero(t, countOf(actions, "assessment.reopen"))

	// Time passes and the evidence goes stale: today's coverage moves, the
	// approval's does not.
	b.clock.Advance(7 * time.Hour)
	c.Login(ownerEmail, ownerPassword)
	page = c.Get(path).Doc(t)
	require.Equal(t, "3", strings.TrimSpace(page.Find(`[data-testid="coverage-today-stale"]`).Text()))
	require.Equal(t, "0", strings.TrimSpace(page.Find(`[data-testid="coverage-approval-stale"]`).Text()))
	require.Contains(t, page.Find(`[data-testid="coverage-today"]`).Text(), "changed since approval")
}

func TestAssessmentFormRefusesBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	c.Get("/o/acme/assessments")
	for _, form := range []url.Values{
		{"name": {"x"}, "period_start": {"yesterday"}, "period_end": {"2026-11-01"}},
		{"name": {"x"}, "period_start": {"2026-10-01"}, "period_end": {"2026-09-01"}},
		{"name": {""}, "period_start": {"2026-10-01"}, "period_end": {"2026-10-31"}},
		{"name": {"x"}, "period_start": {"2026-10-01"}, "period_end": {"2026-10-31"}, "categories": {"ZZ"}},
		{"name": {"x"}, "period_start": {"2030-01-01"}, "period_end": {"2030-12-31"}},
	} {
		r := c.Post("/o/acme/assessments", form)
		require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode, form.Encode())
		doc := r.Doc(t)
		require.Equal(t, 1, doc.Find(`[data-testid="form-error"]`).Length(), form.Encode())
		require.Equal(t, form.Get("name"), doc.Find(`#name`).AttrOr("value", "?"), "what was typed is kept")
	}
	require.Equal(t, 1, c.Get("/o/acme/assessments").Doc(t).Find(`[data-testid="empty-state"]`).Length())
	require.Equal(t, http.StatusNotFound, c.Get("/o/acme/assessments/"+uuid.NewString()).StatusCode)
	require.Equal(t, http.StatusNotFound, c.Get("/o/acme/assessments/not-a-uuid").StatusCode)
}

func TestAttachFromTheEvidencePage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	b.connectAndSync(t, c)
	path := b.createAssessment(t, c, "Draft")
	page := c.Get(path).Doc(t)
	first := page.Find(`[data-testid="attached-row"]`).First()
	evidenceID := first.AttrOr("data-evidence", "")
	evidencePath := first.Find("a").First().AttrOr("href", "")
	require.Equal(t, http.StatusSeeOther, c.Post(first.Find("form").AttrOr("action", ""), nil).StatusCode)

	ev := c.Get(evidencePath).Doc(t)
	require.Contains(t, ev.Find(`[data-testid="record-assessments"]`).Text(), "Not attached")
	form := ev.Find(`[data-testid="attach-form"]`)
	require.Equal(t, 1, form.Length())
	id := form.Find(`option`).AttrOr("value", "")
	r := c.Post(form.AttrOr("action", ""), url.Values{"assessment_id": {id}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	ev = c.Get(evidencePath).Doc(t)
	require.Contains(t, ev.Find(`[data-testid="record-assessments"]`).Text(), "Draft")
	require.Zero(t, ev.Find(`[data-testid="attach-form"]`).Length(), "no draft left that lacks it")
	require.Equal(t, 1, c.Get(path).Doc(t).Find(`[data-testid="attached-row"][data-evidence="`+evidenceID+`"]`).Length(), "included again")

	// Bad input is a clear 400.
	require.Equal(t, http.StatusBadRequest, c.Post(form.AttrOr("action", ""), url.Values{"assessment_id": {"nope"}}).StatusCode)
	require.Equal(t, http.StatusBadRequest, c.Post(form.AttrOr("action", ""), url.Values{"assessment_id": {uuid.NewString()}}).StatusCode)
}

func TestAuditorLimitedToOneAssessment(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	b.connectAndSync(t, owner)
	path := b.createAssessment(t, owner, "Limited")
	other := b.createAssessment(t, owner, "Other")
	limit := strings.TrimPrefix(path, "/o/acme/assessments/")
	removed := owner.Get(path).Doc(t).Find(`[data-testid="attached-row"]`).First()
	require.Equal(t, http.StatusSeeOther, owner.Post(removed.Find("form").AttrOr("action", ""), nil).StatusCode)
	notAttached := removed.Find("a").First().AttrOr("href", "")
	admin, err := pgx.Connect(context.Background(), b.tdb.AdminURL)
	require.NoError(t, err)
	defer admin.Close(context.Background())
	_, err = admin.Exec(context.Background(), `UPDATE memberships SET assessment_id = $1 WHERE role = 'auditor'`, limit)
	require.NoError(t, err)

	c := b.client(t)
	c.Login(auditorEmail, auditPassword)
	r := c.Get("/o/acme/")
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	require.Equal(t, path, r.Location())
	page := c.Get(path).Doc(t)
	require.Equal(t, "draft", page.Find(`[data-testid="assessment-status"]`).AttrOr("data-status", ""))
	require.Zero(t, page.Find(`[data-testid="remove-evidence"]`).Length())
	nav := page.Find(`nav.nav a`)
	require.Equal(t, 1, nav.Length(), "only the assessment is in the navigation")
	require.Equal(t, path, nav.AttrOr("href", ""))
	attached := page.Find(`[data-testid="attached-row"] a`).First().AttrOr("href", "")
	require.Equal(t, http.StatusOK, c.Get(attached).StatusCode)
	for _, p := range []string{"/o/acme/controls", "/o/acme/evidence", "/o/acme/assessments", other, "/o/acme/audit", notAttached} {
		require.Equal(t, http.StatusForbidden, c.Get(p).StatusCode, p)
	}
	require.Equal(t, http.StatusForbidden, c.Post(path+"/submit", nil).StatusCode)
}

// shown writes n the way pages do (1,234).
func shown(n int) string { return components.Int(int64(n)) }
