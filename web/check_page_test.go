package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/connector/entra"
)

func TestEveryEntraCheckSaysWhatToDoWhenItFails(t *testing.T) {
	t.Parallel()
	for _, chk := range entra.New(entra.Options{}, nil).Checks() {
		require.NotEmpty(t, chk.Fix.Sentence, chk.Key)
		require.NotEmpty(t, chk.Fix.LinkLabel, chk.Key)
		require.True(t, strings.HasPrefix(chk.Fix.URL, "https://entra.microsoft.com/"), chk.Key)
	}
}

func TestCheckPageSaysWhatToDoAndLinksEachSubjectToItsRecord(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	path, _ := b.connectAndSync(t, c)
	doc := c.Get(path + "/checks/" + entra.CheckMFAMembers).Doc(t)

	guidance := doc.Find(`[data-testid="check-guidance"]`)
	require.Contains(t, guidance.Text(), "register a multi-factor method")
	require.Contains(t, guidance.Find(`[data-testid="guidance-link"]`).AttrOr("href", ""), "AuthenticationMethods")

	rows := doc.Find(`[data-testid="subject-row"]`)
	require.Positive(t, rows.Length())
	rows.Each(func(_ int, row *goquery.Selection) {
		link := row.Find(`[data-testid="subject-evidence"]`)
		require.Equal(t, 1, link.Length(), row.AttrOr("data-subject", ""))
		record := c.Get(link.AttrOr("href", ""))
		require.Equal(t, http.StatusOK, record.StatusCode)
		require.Contains(t, record.Text(), row.AttrOr("data-subject", ""), "the record is the subject's")
	})

	// A passing check gives no advice.
	passing := c.Get(path + "/checks/" + entra.CheckSignInMonitor).Doc(t)
	require.Equal(t, "Passing", passing.Find(`[data-testid="check-status"]`).Text())
	require.Zero(t, passing.Find(`[data-testid="check-guidance"]`).Length())
}

// selectable lists the subjects the exclusion form can select.
func selectable(doc *goquery.Document) []string {
	var out []string
	doc.Find(`[data-testid="subject-select"]`).Each(func(_ int, s *goquery.Selection) { out = append(out, s.AttrOr("value", "")) })
	return out
}

func TestBulkExclusionExcludesEachSelectedSubjectWithOneReasonAllOrNone(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	path, _ := b.connectAndSync(t, c)
	checkPath := path + "/checks/" + entra.CheckInactive
	doc := c.Get(checkPath).Doc(t)
	subjects := selectable(doc)
	require.Greater(t, len(subjects), 3)
	chosen := subjects[:3]
	before := b.auditActions(t, b.org.ID)

	// Nothing selected, or one subject that is not failing among them:
	// nothing is excluded, and the form keeps what was chosen.
	r := c.Post(checkPath+"/exclusions", url.Values{"reason": {"Service accounts"}, "expires": {"2027-01-01"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode)
	require.Contains(t, r.Doc(t).Find(`[data-testid="exclude-error"]`).Text(), "Select the subjects")
	r = c.Post(checkPath+"/exclusions", url.Values{"subject": append([]string{"not-failing"}, chosen...),
		"reason": {"Service accounts"}, "expires": {"2027-01-01"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode)
	refused := r.Doc(t)
	require.Equal(t, 3, refused.Find(`[data-testid="subject-select"][checked]`).Length())
	require.Equal(t, "Service accounts", refused.Find(`#exclude-reason`).AttrOr("value", ""))
	require.Equal(t, before, b.auditActions(t, b.org.ID), "all or none")

	r = c.Post(checkPath+"/exclusions", url.Values{"subject": chosen, "reason": {"Service accounts, reviewed monthly"}, "expires": {"2027-01-01"}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	doc = c.Get(checkPath).Doc(t)
	for _, key := range chosen {
		row := doc.Find(`[data-testid="subject-row"][data-subject="` + key + `"]`)
		require.Equal(t, "true", row.AttrOr("data-excluded", ""), key)
		require.Contains(t, row.Text(), "Service accounts, reviewed monthly")
	}
	require.NotContains(t, selectable(doc), chosen[0])
	require.Equal(t, 3, countOf(b.auditActions(t, b.org.ID), "check.exclude"), "audited per subject")
	require.Equal(t, "3", doc.Find(`.facts dd`).Eq(2).Text(), "the result counts them at once")
}

func TestFailingSubjectsDownloadAsFormulaSafeCSV(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	path, connID := b.connectAndSync(t, c)
	checkPath := path + "/checks/" + entra.CheckInactive
	// A subject whose name a spreadsheet would run as a formula.
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `INSERT INTO check_failures (org_id, connection_id, check_key, subject_key, subject_label, detail, since)
			VALUES ($1, $2, $3, 'evil', '=HYPERLINK("http://x.test")', 'never signed in', now())`, b.org.ID, connID, entra.CheckInactive)
		return err
	}))
	doc := c.Get(checkPath).Doc(t)
	href := doc.Find(`[data-testid="subjects-csv"]`).AttrOr("href", "")
	require.Equal(t, checkPath+"/failing.csv", href)

	r := c.Get(href)
	require.Equal(t, http.StatusOK, r.StatusCode)
	require.Contains(t, r.Header.Get("Content-Disposition"), "entra.inactive-accounts-failing-")
	records, err := csv.NewReader(strings.NewReader(r.Text())).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"subject", "subject_key", "why", "failing_since", "excluded", "exclusion_reason", "exclusion_until"}, records[0])
	require.Equal(t, doc.Find(`[data-testid="subject-row"]`).Length(), len(records)-1)
	var evil []string
	for _, rec := range records[1:] {
		if rec[1] == "evil" {
			evil = rec
		}
	}
	require.Equal(t, `'=HYPERLINK("http://x.test")`, evil[0])
	require.Contains(t, b.auditActions(t, b.org.ID), "evidence.export")
}
