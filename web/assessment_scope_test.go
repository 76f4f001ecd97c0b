package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/stretchr/testify/require"
)

// notApplicableShown maps each not-applicable criterion on an assessment's
// page to the justification shown with it.
func notApplicableShown(t *testing.T, page *goquery.Document) map[string]string {
	t.Helper()
	out := map[string]string{}
	page.Find(`[data-testid="assessment-not-applicable"] [data-testid="not-applicable-row"]`).Each(func(_ int, s *goquery.Selection) {
		out[s.AttrOr("data-control", "")] = s.Find(`[data-testid="justification"]`).Text()
	})
	return out
}

// TestAssessmentPageShowsNotApplicableWithJustification: a draft's page
// lists the criteria the organization marks not applicable today with their
// justifications; once approved, it lists the scope recorded at approval and
// keeps it when the statement of applicability changes later.
func TestAssessmentPageShowsNotApplicableWithJustification(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	require.Equal(t, http.StatusSeeOther, markNotApplicable(t, c, "CC9.2", "An earlier justification, replaced below.").StatusCode)
	path := b.createAssessment(t, c, "FY26 Type II")

	// A draft follows the current statement of applicability.
	require.Equal(t, map[string]string{"CC9.2": "An earlier justification, replaced below."}, notApplicableShown(t, c.Get(path).Doc(t)))
	require.Equal(t, http.StatusSeeOther, markNotApplicable(t, c, "CC9.2", vendorJustification).StatusCode)
	require.Equal(t, map[string]string{"CC9.2": vendorJustification}, notApplicableShown(t, c.Get(path).Doc(t)))

	require.Equal(t, http.StatusSeeOther, c.Post(path+"/submit", nil).StatusCode)
	require.Equal(t, http.StatusSeeOther, c.Post(path+"/approve", nil).StatusCode)
	require.Equal(t, map[string]string{"CC9.2": vendorJustification}, notApplicableShown(t, c.Get(path).Doc(t)))

	// The scope changes after approval: the approved page keeps what was approved.
	require.Equal(t, http.StatusSeeOther, c.Post("/o/acme/controls/CC9.2/scope", url.Values{"applicable": {"yes"}}).StatusCode)
	require.Equal(t, http.StatusSeeOther, markNotApplicable(t, c, "CC1.1", "Marked after the approval, not part of it.").StatusCode)
	require.Equal(t, map[string]string{"CC9.2": vendorJustification}, notApplicableShown(t, c.Get(path).Doc(t)))

	// A new draft follows today's statement.
	draft := b.createAssessment(t, c, "FY27 Type II")
	require.Equal(t, map[string]string{"CC1.1": "Marked after the approval, not part of it."}, notApplicableShown(t, c.Get(draft).Doc(t)))
}
