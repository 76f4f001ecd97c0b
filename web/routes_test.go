package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/connector/entra"
)

// outsideOrgUnsafe are the state-changing routes outside an organization:
// each changes only the caller's own session or accepts an invitation. A
// new one must be added here deliberately.
var outsideOrgUnsafe = []string{
	"POST /login",
	"POST /logout",
	"POST /invitations/:org/:token",
}

// auditorGetStatus is what an auditor gets from the GET routes that are not
// plain pages for them, with the reason.
var auditorGetStatus = map[string]int{
	"/o/:org/auditors":         http.StatusForbidden, // auditor management is for owners and admins
	"/o/:org/settings/members": http.StatusForbidden, // the team is for owners and admins
}

// routeQuery is the query string a GET route needs to answer a page (its
// handling of a missing or bad one is checked by its own tests).
var routeQuery = map[string]string{
	"/o/:org/assessments/:assessment/export": "?kind=entra.user",
}

var routeParam = regexp.MustCompile(`:[a-z_]+`)

// TestAuditorWalksEveryRoute enumerates the route table, so a route added
// later is held to the same rules without anyone remembering to: an auditor
// gets every GET page, and every unsafe route answers 403 with an audit row.
func TestAuditorWalksEveryRoute(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	connPath, connID := b.connectAndSync(t, owner)
	assessmentPath := b.createAssessment(t, owner, "Walk")
	checkPath := connPath + "/checks/" + entra.CheckMFAMembers
	subject := owner.Get(checkPath).Doc(t).Find(`[data-testid="subject-row"]`).First().AttrOr("data-subject", "")
	require.Equal(t, http.StatusSeeOther, owner.Post(checkPath+"/exclusions", url.Values{"subject": {subject}, "reason": {"Break-glass account"}, "expires": {"2027-01-01"}}).StatusCode)
	setStatus(t, b, connID, "needs_reauth")
	reconcile(t, b)
	docPath := b.addDocument(t, owner, "CC1.1")

	var evidenceID, alertID, exclusionID, auditorID, revisionID string
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		ctx := context.Background()
		if err := tx.QueryRow(ctx, `SELECT min(id)::text FROM evidence`).Scan(&evidenceID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT id::text FROM alerts LIMIT 1`).Scan(&alertID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT id::text FROM check_exclusions LIMIT 1`).Scan(&exclusionID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT id::text FROM document_revisions LIMIT 1`).Scan(&revisionID); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT user_id::text FROM memberships WHERE role = 'auditor'`).Scan(&auditorID)
	}))
	values := map[string]string{
		":org": "acme", ":id": connID.String(), ":connector": entra.Key, ":check": entra.CheckMFAMembers,
		":control": "CC6.1", ":evidence": evidenceID, ":alert": alertID, ":exclusion": exclusionID,
		":assessment": strings.TrimPrefix(assessmentPath, "/o/acme/assessments/"), ":user": auditorID,
		":invitation": "00000000-0000-0000-0000-000000000000", ":token": "unknown",
		":document": strings.TrimPrefix(docPath, "/o/acme/documents/"), ":revision": revisionID, ":criterion": "CC1.1",
	}

	auditor := b.client(t)
	auditor.Login(auditorEmail, auditPassword)
	auditor.Get("/o/acme/") // a page, as a browser has one before it posts a form
	var unsafeOutside []string
	denied := 0
	for _, r := range b.app.Echo().Routes() {
		if strings.Contains(r.Path, "*") || !slices.Contains([]string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}, r.Method) {
			continue // static files, the simulator, not-found catch-alls
		}
		path := routeParam.ReplaceAllStringFunc(r.Path, func(p string) string {
			v, ok := values[p]
			require.Truef(t, ok, "route %s %s has a parameter %s this test does not know: add a value for it", r.Method, r.Path, p)
			return v
		}) + routeQuery[r.Path]
		inOrg := strings.HasPrefix(r.Path, "/o/:org")
		switch {
		case r.Method == http.MethodGet && inOrg:
			want, special := auditorGetStatus[r.Path]
			if !special {
				want = http.StatusOK
			}
			got := auditor.Get(path)
			if got.StatusCode == http.StatusSeeOther || got.StatusCode == http.StatusPermanentRedirect {
				got = auditor.Follow(path)
			}
			require.Equalf(t, want, got.StatusCode, "GET %s as an auditor", r.Path)
		case r.Method != http.MethodGet && inOrg:
			before := countOf(b.auditActions(t, b.org.ID), "access.denied")
			res := auditor.Post(path, url.Values{})
			require.Equalf(t, http.StatusForbidden, res.StatusCode, "%s %s as an auditor", r.Method, r.Path)
			require.Equalf(t, before+1, countOf(b.auditActions(t, b.org.ID), "access.denied"), "%s %s leaves an audit row", r.Method, r.Path)
			denied++
		case r.Method != http.MethodGet:
			unsafeOutside = append(unsafeOutside, r.Method+" "+r.Path)
		}
	}
	sort.Strings(unsafeOutside)
	want := slices.Clone(outsideOrgUnsafe)
	sort.Strings(want)
	require.Equal(t, want, unsafeOutside, "unsafe routes outside an organization")
	require.Greater(t, denied, 20, "the walk reached the unsafe routes")

	// Nothing the auditor tried changed anything.
	require.Equal(t, "draft", owner.Get(assessmentPath).Doc(t).Find(`[data-testid="assessment-status"]`).AttrOr("data-status", ""))
}
