package web_test

// ASVS V4 (access control): an auditor limited to one assessment sees only
// it. Every page and download such an auditor can reach, found by walking
// the route table, is searched for the name and id of another assessment
// that holds the same records.

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/webtest"
)

// otherAssessment is the assessment the limited auditor must not learn of.
const otherAssessment = "Confidential acquisition audit"

// bodies are a response's contents to search: the body itself, or each file
// of a ZIP download.
func bodies(t *testing.T, r *webtest.Response) map[string][]byte {
	t.Helper()
	if r.Header.Get("Content-Type") != "application/zip" {
		return map[string][]byte{"body": r.Body}
	}
	zr, err := zip.NewReader(bytes.NewReader(r.Body), int64(len(r.Body)))
	require.NoError(t, err)
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		out[f.Name] = data
	}
	return out
}

func TestLimitedAuditorSeesNothingOfAnotherAssessmentOnAnyPageOrDownload(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.owner(t)
	_, connID := b.connectAndSync(t, owner)
	scopedPath := b.createAssessment(t, owner, "Scoped FY2026")
	otherPath := b.createAssessment(t, owner, otherAssessment) // holds the same records
	scopedID := strings.TrimPrefix(scopedPath, "/o/acme/assessments/")
	otherID := strings.TrimPrefix(otherPath, "/o/acme/assessments/")
	// One record is left in the other assessment only.
	removed := owner.Get(scopedPath).Doc(t).Find(`[data-testid="attached-row"]`).First()
	require.Equal(t, http.StatusSeeOther, owner.Post(removed.Find("form").AttrOr("action", ""), nil).StatusCode)
	onlyOther := removed.AttrOr("data-evidence", "")
	shared := owner.Get(scopedPath).Doc(t).Find(`[data-testid="attached-row"]`).First().AttrOr("data-evidence", "")
	require.NotEmpty(t, shared)
	require.Contains(t, owner.Get("/o/acme/evidence/"+shared).Text(), otherAssessment, "the owner sees every assessment holding the record")

	auditor, r := b.acceptNew(t, b.invite(t, owner, "acme", "limited@firm.test", 30, scopedID))
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	page := auditor.Get("/o/acme/evidence/" + shared)
	require.Equal(t, http.StatusOK, page.StatusCode)
	require.Contains(t, page.Doc(t).Find(`[data-testid="record-assessments"]`).Text(), "Scoped FY2026")

	secrets := []string{otherAssessment, otherID}
	inScope := map[string]string{
		":org": "acme", ":id": connID.String(), ":connector": entra.Key, ":check": entra.CheckMFAMembers,
		":control": "CC6.1", ":evidence": shared, ":alert": "00000000-0000-0000-0000-000000000000",
		":exclusion": "00000000-0000-0000-0000-000000000000", ":assessment": scopedID,
		":user": "00000000-0000-0000-0000-000000000000", ":invitation": "00000000-0000-0000-0000-000000000000", ":token": "unknown",
		// Documents held by one assessment only: web/documents_test.go.
		":document": "00000000-0000-0000-0000-000000000000", ":revision": "00000000-0000-0000-0000-000000000000",
	}
	outOfScope := map[string]string{":evidence": onlyOther, ":assessment": otherID}
	reached := map[string]bool{}
	for _, route := range b.app.Echo().Routes() {
		if route.Method != http.MethodGet || strings.Contains(route.Path, "*") {
			continue
		}
		for _, values := range []map[string]string{inScope, outOfScope} {
			path := routeParam.ReplaceAllStringFunc(route.Path, func(p string) string {
				if v, ok := values[p]; ok {
					return v
				}
				v, ok := inScope[p]
				require.Truef(t, ok, "route %s has a parameter %s this test does not know: add a value for it", route.Path, p)
				return v
			}) + routeQuery[route.Path]
			res := auditor.Get(path)
			for i := 0; i < 5 && res.StatusCode >= 300 && res.StatusCode < 400 && strings.HasPrefix(res.Location(), "/"); i++ {
				res = auditor.Get(res.Location())
			}
			if res.StatusCode == http.StatusOK {
				reached[route.Path] = true
			}
			for name, body := range bodies(t, res) {
				for _, secret := range secrets {
					require.NotContainsf(t, string(body), secret, "GET %s (%s) shows the other assessment", path, name)
				}
			}
		}
	}
	for _, p := range []string{"/o/:org/assessments/:assessment", "/o/:org/assessments/:assessment/export", "/o/:org/assessments/:assessment/export.zip", "/o/:org/evidence/:evidence"} {
		require.Truef(t, reached[p], "the walk reached %s", p)
	}
}

func TestLimitedAuditorIsNotShownVersionsOutsideTheAssessment(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.owner(t)
	_, connID := b.connectAndSync(t, owner)
	scopedID := strings.TrimPrefix(b.createAssessment(t, owner, "Scoped FY2026"), "/o/acme/assessments/")

	// A user changes after the assessment was drawn up: the new version of
	// the record is in no assessment.
	tenant := b.sim.Tenant(entrasim.DefaultTenantID)
	user := tenant.Users()[0]
	require.NoError(t, tenant.UpdateUser(user.ID, func(u *entrasim.User) { u.DisplayName = "Renamed after the assessment" }))
	b.clock.Advance(time.Minute)
	b.sync(t, connID)
	var versions []string
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), `SELECT id::text FROM evidence WHERE kind = $1 AND subject_key = $2 ORDER BY collected_at`, entra.KindUser, user.ID)
		if err != nil {
			return err
		}
		versions, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	}))
	require.Len(t, versions, 2)
	before, after := "/o/acme/evidence/"+versions[0], "/o/acme/evidence/"+versions[1]
	require.Contains(t, owner.Get(before).Text(), `href="`+after+`"`, "the owner sees both versions")

	auditor, r := b.acceptNew(t, b.invite(t, owner, "acme", "limited@firm.test", 30, scopedID))
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	page := auditor.Get(before)
	require.Equal(t, http.StatusOK, page.StatusCode)
	require.NotContains(t, page.Text(), after, "a version outside the assessment is not linked")
	require.Equal(t, http.StatusForbidden, auditor.Get(after).StatusCode)
}
