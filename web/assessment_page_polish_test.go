package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/views/components"
)

func TestNewAssessmentPeriodDefaultsToTheEvidenceThatExists(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	today := b.clock.Now().UTC()

	// Before any evidence: the last year, and a word that nothing exists.
	form := c.Get("/o/acme/assessments").Doc(t).Find(`[data-testid="new-assessment"]`)
	require.Equal(t, today.AddDate(-1, 0, 1).Format(time.DateOnly), form.Find(`#period_start`).AttrOr("value", ""))
	require.Contains(t, form.Find(`[data-testid="first-evidence"]`).Text(), "No evidence has been collected yet")

	// Ten days after the first sync the period starts on its day.
	b.connectAndSync(t, c)
	b.clock.Advance(10 * 24 * time.Hour)
	c.Login(ownerEmail, ownerPassword)
	form = c.Get("/o/acme/assessments").Doc(t).Find(`[data-testid="new-assessment"]`)
	require.Equal(t, today.Format(time.DateOnly), form.Find(`#period_start`).AttrOr("value", ""))
	require.Equal(t, b.clock.Now().UTC().Format(time.DateOnly), form.Find(`#period_end`).AttrOr("value", ""))
	require.Contains(t, form.Find(`[data-testid="first-evidence"]`).Text(), components.Day(today))

	// Starting earlier is allowed, with a warning that the days before are empty.
	r := c.Post("/o/acme/assessments", url.Values{"name": {"FY26"},
		"period_start": {today.AddDate(0, -2, 0).Format(time.DateOnly)}, "period_end": {b.clock.Now().UTC().Format(time.DateOnly)}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Contains(t, c.Get(r.Location()).Doc(t).Find("#flashes").Text(), "before the first evidence ("+components.Day(today)+")")

	// From the first evidence on, no warning.
	r = c.Post("/o/acme/assessments", url.Values{"name": {"FY26 b"},
		"period_start": {today.Format(time.DateOnly)}, "period_end": {b.clock.Now().UTC().Format(time.DateOnly)}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.NotContains(t, c.Get(r.Location()).Doc(t).Find("#flashes").Text(), "before the first evidence")
}

func TestAssessmentApprovalNamesFailingControlsAndShowsWhoApproved(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	b.connectAndSync(t, c)
	var failing []string
	for id, st := range tiles(t, c.Get("/o/acme/").Doc(t)) {
		if st == "failing" {
			failing = append(failing, id)
		}
	}
	require.NotEmpty(t, failing)
	path := b.createAssessment(t, c, "FY26 Type II")

	// Removing a record is a quiet button, not a red one.
	draft := c.Get(path).Doc(t)
	require.Equal(t, "btn btn-secondary btn-sm", draft.Find(`[data-testid="remove-evidence"]`).First().AttrOr("class", ""))

	require.Equal(t, http.StatusSeeOther, c.Post(path+"/submit", nil).StatusCode)
	confirm := c.Get(path).Doc(t).Find(`[data-testid="approve"]`).Closest("form").AttrOr("data-confirm", "")
	require.Contains(t, confirm, "Approve and freeze")
	for _, id := range failing {
		require.Contains(t, confirm, id, "the confirmation names each failing control")
	}
	require.Contains(t, confirm, "recorded as failing")

	approvedAt := b.clock.Now()
	require.Equal(t, http.StatusSeeOther, c.Post(path+"/approve", nil).StatusCode)
	page := c.Get(path).Doc(t)
	root := page.Find(`[data-testid="root-hash"]`)
	require.Equal(t, "#"+root.AttrOr("id", ""), page.Find(`[data-testid="copy-root-hash"]`).AttrOr("data-copy", ""))
	approved := page.Find(`[data-testid="approved"]`)
	require.Equal(t, components.Absolute(approvedAt), strings.TrimSpace(approved.Find("time").Text()))
	require.Equal(t, "by "+ownerEmail, strings.TrimSpace(approved.Find(`[data-testid="approved-by"]`).Text()))
}
