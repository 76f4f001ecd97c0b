package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/webtest"
)

const vendorJustification = "We have no vendors or business partners with access to the system."

// markNotApplicable posts the control page's scope form.
func markNotApplicable(t *testing.T, c *webtest.Client, id, justification string) *webtest.Response {
	t.Helper()
	c.Get("/o/acme/controls/" + id)
	return c.Post("/o/acme/controls/"+id+"/scope", url.Values{"applicable": {"no"}, "justification": {justification}})
}

// rows maps each row of the controls list to its status.
func rows(t *testing.T, c *webtest.Client, query string) map[string]string {
	t.Helper()
	r := c.Get("/o/acme/controls" + query)
	require.Equal(t, http.StatusOK, r.StatusCode, r.Text())
	out := map[string]string{}
	r.Doc(t).Find(`[data-testid="control-row"]`).Each(func(_ int, s *goquerySelection) {
		out[s.AttrOr("data-control", "")] = s.AttrOr("data-status", "")
	})
	return out
}

// snapshotInScope reads the denominator of the day's coverage snapshot.
func snapshotInScope(t *testing.T, b *bundle) int {
	t.Helper()
	var inScope int
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT in_scope FROM coverage_snapshots`).Scan(&inScope)
	}))
	return inScope
}

// TestNotApplicableLeavesCoverageWithItsJustification: an owner marks CC9.2
// not applicable with a justification; it leaves the denominator of the
// dashboard and of the day's snapshot, shows its justification on the
// dashboard, the controls list and its page, is audited, and comes back;
// each change retakes the day's snapshot at once.
func TestNotApplicableLeavesCoverageWithItsJustification(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)

	// A justification is required: nothing changes without one.
	r := markNotApplicable(t, c, "CC9.2", "n/a")
	require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode)
	require.Contains(t, r.Doc(t).Find(`[data-testid="form-error"]`).Text(), "justification")
	require.Equal(t, "no_evidence", tiles(t, c.Get("/o/acme/").Doc(t))["CC9.2"])

	r = markNotApplicable(t, c, "CC9.2", vendorJustification)
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())

	dash := c.Get("/o/acme/").Doc(t)
	require.Equal(t, "not_applicable", tiles(t, dash)["CC9.2"])
	require.Contains(t, dash.Find(`[data-control="CC9.2"] [data-testid="justification"]`).Text(), vendorJustification)
	require.Contains(t, dash.Find(`[data-testid="coverage"]`).Text(), "0 of 32 controls passing")
	require.Equal(t, "1", count(dash, "count-not_applicable"))

	require.Equal(t, map[string]string{"CC9.2": "not_applicable"}, rows(t, c, "?status=not_applicable"))
	list := c.Get("/o/acme/controls").Doc(t)
	require.Contains(t, list.Find(`[data-control="CC9.2"] [data-testid="justification"]`).Text(), vendorJustification)

	page := c.Get("/o/acme/controls/CC9.2").Doc(t)
	require.Equal(t, "not_applicable", page.Find(`[data-testid="control-status"]`).AttrOr("data-status", ""))
	require.Equal(t, vendorJustification, page.Find(`[data-testid="not-applicable"] [data-testid="justification"]`).Text())

	// The scope change retook the day's snapshot: same denominator, at once.
	require.Equal(t, 32, snapshotInScope(t, b))

	// Back into scope.
	r = c.Post("/o/acme/controls/CC9.2/scope", url.Values{"applicable": {"yes"}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	dash = c.Get("/o/acme/").Doc(t)
	require.Equal(t, "no_evidence", tiles(t, dash)["CC9.2"])
	require.Contains(t, dash.Find(`[data-testid="coverage"]`).Text(), "0 of 33 controls passing")
	require.Equal(t, 33, snapshotInScope(t, b))

	actions := b.auditActions(t, b.org.ID)
	require.Equal(t, 1, countOf(actions, "scope.not_applicable"))
	require.Equal(t, 1, countOf(actions, "scope.applicable"))
}

// TestControlOwnersAndListFilters: an owner sets a criterion's owner (a
// member who can write); the list filters by "mine", "none" and state, and
// refuses values it does not know.
func TestControlOwnersAndListFilters(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.member(t, b.org.ID, "admin@acme.test", "admin passphrase 2026", account.RoleAdmin, nil)
	var auditorID string
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT id::text FROM users WHERE email = $1`, auditorEmail).Scan(&auditorID)
	}))
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)

	page := c.Get("/o/acme/controls/CC6.1").Doc(t)
	var choices []string
	page.Find(`[data-testid="owner-form"] option`).Each(func(_ int, s *goquerySelection) { choices = append(choices, s.Text()) })
	require.Equal(t, []string{"Nobody", "admin@acme.test", ownerEmail}, choices, "auditors cannot own a control")

	r := c.Post("/o/acme/controls/CC6.1/owner", url.Values{"owner": {auditorID}})
	require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode)
	r = c.Post("/o/acme/controls/CC6.1/owner", url.Values{"owner": {"not-a-uuid"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode)
	r = c.Post("/o/acme/controls/CC6.1/owner", url.Values{"owner": {admin.ID.String()}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Equal(t, "admin@acme.test", c.Get("/o/acme/controls/CC6.1").Doc(t).Find(`[data-testid="control-owner"]`).Text())

	mine := b.client(t)
	mine.Login("admin@acme.test", "admin passphrase 2026")
	require.Equal(t, map[string]string{"CC6.1": "no_evidence"}, rows(t, mine, "?owner=mine"))
	require.Empty(t, rows(t, c, "?owner=mine"), "the owner owns nothing")
	require.Empty(t, rows(t, mine, "?owner=mine&status=passing"))
	unowned := rows(t, c, "?owner=none")
	require.Len(t, unowned, 32)
	require.NotContains(t, unowned, "CC6.1")
	require.Len(t, rows(t, c, "?category=CC&status=no_evidence"), 33)

	for _, bad := range []string{"?status=bogus", "?owner=someone", "?category=Z"} {
		require.Equal(t, http.StatusBadRequest, c.Get("/o/acme/controls"+bad).StatusCode, bad)
	}

	r = c.Post("/o/acme/controls/CC6.1/owner", url.Values{"owner": {""}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	require.Empty(t, rows(t, mine, "?owner=mine"))
	require.Equal(t, 2, countOf(b.auditActions(t, b.org.ID), "control.owner_set"))
}

// TestAuditorSeesScopeButCannotChangeIt: the auditor reads justifications
// and owners, has no forms, and is refused (and recorded) when posting.
func TestAuditorSeesScopeButCannotChangeIt(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	require.Equal(t, http.StatusSeeOther, markNotApplicable(t, owner, "CC9.2", vendorJustification).StatusCode)

	auditor := b.client(t)
	auditor.Login(auditorEmail, auditPassword)
	page := auditor.Get("/o/acme/controls/CC9.2").Doc(t)
	require.Equal(t, vendorJustification, page.Find(`[data-testid="not-applicable"] [data-testid="justification"]`).Text())
	require.Zero(t, page.Find(`[data-testid="scope-form"], [data-testid="owner-form"]`).Length())
	r := auditor.Post("/o/acme/controls/CC9.2/scope", url.Values{"applicable": {"yes"}})
	require.Equal(t, http.StatusForbidden, r.StatusCode)
	r = auditor.Post("/o/acme/controls/CC6.1/owner", url.Values{"owner": {""}})
	require.Equal(t, http.StatusForbidden, r.StatusCode)
	require.Equal(t, "not_applicable", tiles(t, owner.Get("/o/acme/").Doc(t))["CC9.2"])
	require.Equal(t, 2, countOf(b.auditActions(t, b.org.ID), "access.denied"))
}

// TestScopeIsExported: the statement of applicability downloads as CSV, and
// the assessment ZIP carries scope.csv as approved (verified offline), which
// a later change of scope does not alter.
func TestScopeIsExported(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	require.Equal(t, http.StatusSeeOther, markNotApplicable(t, c, "CC9.2", vendorJustification).StatusCode)

	r := c.Get("/o/acme/controls/scope.csv")
	require.Equal(t, http.StatusOK, r.StatusCode, r.Text())
	require.Contains(t, r.Header.Get("Content-Disposition"), "statement-of-applicability")
	records, err := csv.NewReader(strings.NewReader(r.Text())).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, 1+33)
	require.Equal(t, []string{"criterion", "category", "summary", "applicable", "justification", "marked_by", "marked_at", "owner", "status", "evidence"}, records[0])
	last := records[33]
	require.Equal(t, []string{"CC9.2", "no", vendorJustification, ownerEmail, "not_applicable"}, []string{last[0], last[3], last[4], last[5], last[8]})
	require.Equal(t, "yes", records[1][3])

	b.connectAndSync(t, c)
	path := b.createAssessment(t, c, "FY26 Type II")
	require.Equal(t, http.StatusSeeOther, c.Post(path+"/submit", nil).StatusCode)
	require.Equal(t, http.StatusSeeOther, c.Post(path+"/approve", nil).StatusCode)
	r = c.Post("/o/acme/controls/CC9.2/scope", url.Values{"applicable": {"yes"}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode)

	res := c.Get(path + "/export.zip")
	require.Equal(t, http.StatusOK, res.StatusCode, res.Text())
	dir := t.TempDir()
	require.Contains(t, unzipTo(t, res.Body, dir), "scope.csv")
	out, err := sha256sumCheck(dir)
	require.NoError(t, err, out)
	raw, err := os.ReadFile(filepath.Join(dir, "scope.csv"))
	require.NoError(t, err)
	records, err = csv.NewReader(strings.NewReader(string(raw))).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, 1+33)
	require.Equal(t, []string{"CC9.2", "no", vendorJustification}, []string{records[33][0], records[33][3], records[33][4]})
	manifest, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	require.NoError(t, err)
	require.Contains(t, string(manifest), `"scope.csv"`)

	var recorded int
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM assessment_scope`).Scan(&recorded)
	}))
	require.Equal(t, 1, recorded)
}
