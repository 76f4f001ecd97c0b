package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/alert"
	"github.com/attesthq/attest/jobs"
)

// entraControls are the controls the Entra checks support.
var entraControls = []string{"CC6.1", "CC6.2", "CC7.1"}

// tiles maps each dashboard control tile to its status.
func tiles(t *testing.T, doc *goquery.Document) map[string]string {
	t.Helper()
	out := map[string]string{}
	doc.Find(`[data-testid="control-tile"]`).Each(func(_ int, s *goquery.Selection) {
		out[s.AttrOr("data-control", "")] = s.AttrOr("data-status", "")
	})
	return out
}

func count(doc *goquery.Document, testid string) string {
	return strings.TrimSpace(doc.Find(`[data-testid="` + testid + `"] .state-count`).Text())
}

func reconcile(t *testing.T, b *bundle) int {
	t.Helper()
	n, err := jobs.ReconcileAlerts(context.Background(), b.tdb.Pool, b.clock, alert.Notifier(nil))
	require.NoError(t, err)
	return n
}

func TestDashboardBeforeAnyConnectionShowsNoEvidence(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	r := c.Get("/o/acme/")
	require.Equal(t, http.StatusOK, r.StatusCode)
	doc := r.Doc(t)
	require.Equal(t, 1, doc.Find(`[data-testid="dashboard-empty"]`).Length())
	require.Contains(t, doc.Find(`[data-testid="dashboard-empty"]`).Text(), "Microsoft Entra ID (CC6.1, CC6.2, CC7.1)", "the offer comes from the registered connectors")
	require.Equal(t, "0%", doc.Find(`[data-testid="coverage-value"]`).Text())
	all := tiles(t, doc)
	require.Len(t, all, 33, "Security alone is in scope by default")
	for id, st := range all {
		require.Equal(t, "no_evidence", st, id)
	}
	require.Equal(t, "33", count(doc, "count-no_evidence"))
	require.Equal(t, "0", count(doc, "count-passing"))
	require.Equal(t, 1, doc.Find(`[data-testid="no-alerts"]`).Length())
}

func TestStaleEvidenceDegradesMappedControlsAndAlertsOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	_, connID := b.connectAndSync(t, c)

	before := tiles(t, c.Get("/o/acme/").Doc(t))
	for _, id := range entraControls {
		require.Contains(t, []string{"passing", "failing"}, before[id], id)
	}
	for id, st := range before {
		if !slices.Contains(entraControls, id) {
			require.Equal(t, "no_evidence", st, id)
		}
	}

	// Five hours and fifty-nine minutes later the evidence is still fresh.
	b.clock.Advance(6*time.Hour - time.Minute)
	require.Zero(t, reconcile(t, b))
	c.Login(ownerEmail, ownerPassword) // the idle session expired meanwhile
	require.Equal(t, before, tiles(t, c.Get("/o/acme/").Doc(t)))

	// Past the threshold: exactly the mapped controls turn stale, one alert opens.
	b.clock.Advance(2 * time.Minute)
	require.Equal(t, 1, reconcile(t, b))
	require.Zero(t, reconcile(t, b), "an alert opens once")
	doc := c.Get("/o/acme/").Doc(t)
	stale := tiles(t, doc)
	for id, st := range stale {
		if slices.Contains(entraControls, id) {
			require.Equal(t, "stale", st, id)
		} else {
			require.Equal(t, before[id], st, id)
		}
	}
	require.Equal(t, "3", count(doc, "count-stale"))
	require.Equal(t, "0", count(doc, "count-passing"))
	require.Equal(t, "0%", doc.Find(`[data-testid="coverage-value"]`).Text(), "stale never counts as passing")
	require.Equal(t, "1", count(doc, "health-stale"))
	require.Equal(t, "0", count(doc, "health-fresh"))
	require.Contains(t, doc.Find(`[data-testid="dashboard-alerts"]`).Text(), "is stale")
	require.Contains(t, doc.Find(`[data-testid="alert-banner"]`).Text(), "1 open alert")

	// The numbers link to the rows behind them.
	href := doc.Find(`[data-testid="count-stale"]`).AttrOr("href", "")
	list := c.Get(href).Doc(t)
	var ids []string
	list.Find(`[data-testid="control-row"]`).Each(func(_ int, s *goquery.Selection) { ids = append(ids, s.AttrOr("data-control", "")) })
	require.ElementsMatch(t, entraControls, ids)
	health := c.Get(doc.Find(`[data-testid="health-stale"]`).AttrOr("href", "")).Text()
	require.Contains(t, health, connID.String())

	// The control page says why.
	ctl := c.Get("/o/acme/controls/CC6.1").Doc(t)
	require.Equal(t, "stale", ctl.Find(`[data-testid="control-status"]`).AttrOr("data-status", ""))
	require.Equal(t, 3, ctl.Find(`[data-testid="control-checks"] tbody tr`).Length(), "CC6.1's three MFA checks")

	// The next good sync resolves the alert, once, and restores coverage.
	b.sync(t, connID)
	require.Equal(t, before, tiles(t, c.Get("/o/acme/").Doc(t)))
	require.Zero(t, reconcile(t, b))
	actions := b.auditActions(t, b.org.ID)
	require.Equal(t, 1, countOf(actions, "alert.open"))
	require.Equal(t, 1, countOf(actions, "alert.resolve"))
	doc = c.Get("/o/acme/").Doc(t)
	require.Equal(t, 1, doc.Find(`[data-testid="no-alerts"]`).Length())
	require.Zero(t, doc.Find(`[data-testid="alert-banner"]`).Length())
	require.Equal(t, 1, c.Get("/o/acme/alerts").Doc(t).Find(`[data-testid="alert-row"][data-kind="stale"]`).Length(), "resolved alerts stay listed")
}

func TestDashboardPanelsRefreshAsAFragment(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	page := c.Get("/o/acme/").Doc(t)
	panel := page.Find(`[data-testid="dashboard"]`)
	require.Equal(t, "every 30s", panel.AttrOr("hx-trigger", ""))
	r := c.Do(htmxGet(t, c, panel.AttrOr("hx-get", "")))
	require.Equal(t, http.StatusOK, r.StatusCode)
	require.True(t, strings.HasPrefix(strings.TrimSpace(r.Text()), `<div id="dashboard"`))
	require.NotContains(t, r.Text(), "<html")
	// A first day's coverage is a sentence, not a lone dot on a chart.
	require.Contains(t, page.Find(`[data-testid="coverage-one-day"]`).Text(), "One day of history so far")
	require.Zero(t, page.Find(`[data-testid="coverage-chart"]`).Length())
}

func TestAcknowledgeAlertIsAuditedAndAuditorsCannot(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	_, connID := b.connectAndSync(t, owner)
	setStatus(t, b, connID, "needs_reauth")
	require.Equal(t, 1, reconcile(t, b))

	auditor := b.client(t)
	auditor.Login(auditorEmail, auditPassword)
	page := auditor.Get("/o/acme/alerts").Doc(t)
	row := page.Find(`[data-testid="alert-row"][data-kind="needs_reauth"]`)
	require.Equal(t, 1, row.Length())
	require.Zero(t, row.Find(`[data-testid="acknowledge"]`).Length(), "auditors get no button")
	ackURL := owner.Get("/o/acme/alerts").Doc(t).Find(`[data-testid="acknowledge"]`).Closest("form").AttrOr("action", "")
	require.NotEmpty(t, ackURL)
	require.Equal(t, http.StatusForbidden, auditor.Post(ackURL, nil).StatusCode)

	r := owner.Post(ackURL, nil)
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	page = owner.Get("/o/acme/alerts").Doc(t)
	require.Contains(t, page.Find(`[data-testid="alert-row"][data-kind="needs_reauth"]`).Text(), "Acknowledged")
	require.Equal(t, 1, countOf(b.auditActions(t, b.org.ID), "alert.acknowledge"))
	// Unknown alerts are not found, not errors.
	require.Equal(t, http.StatusNotFound, owner.Post("/o/acme/alerts/00000000-0000-0000-0000-000000000000/acknowledge", nil).StatusCode)
}

func TestSettingsChangeTheControlsInScope(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	require.Equal(t, http.StatusNotFound, c.Get("/o/acme/controls/A1.2").StatusCode, "out of scope")
	require.Equal(t, http.StatusNotFound, c.Get("/o/acme/controls/ZZ9.9").StatusCode, "no such criterion")
	c.Get("/o/acme/settings")
	r := c.Post("/o/acme/settings", url.Values{"categories": {"A", "P"}, "retention_days": {"400"}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	ctl := c.Get("/o/acme/controls/A1.2").Doc(t)
	require.Equal(t, "no_evidence", ctl.Find(`[data-testid="control-status"]`).AttrOr("data-status", ""))
	all := tiles(t, c.Get("/o/acme/").Doc(t))
	require.Contains(t, all, "A1.2")
	require.Contains(t, all, "P1.1")
	require.NotContains(t, all, "C1.1")
	require.Greater(t, len(all), 33)
	require.Equal(t, 1, countOf(b.auditActions(t, b.org.ID), "organization.settings"))

	// Bad input is refused with the form kept, and nothing changes.
	for _, form := range []url.Values{
		{"categories": {"A"}, "retention_days": {"ten"}},
		{"categories": {"A"}, "retention_days": {"7"}},
		{"categories": {"astrology"}, "retention_days": {"400"}},
	} {
		r = c.Post("/o/acme/settings", form)
		require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode, form.Encode())
		require.Equal(t, 1, r.Doc(t).Find(`[data-testid="form-error"]`).Length(), form.Encode())
	}
	require.Contains(t, tiles(t, c.Get("/o/acme/").Doc(t)), "P1.1")
	require.Equal(t, 1, countOf(b.auditActions(t, b.org.ID), "organization.settings"))

	auditor := b.client(t)
	auditor.Login(auditorEmail, auditPassword)
	require.Equal(t, http.StatusForbidden, auditor.Post("/o/acme/settings", url.Values{"retention_days": {"400"}}).StatusCode)
}

func TestConnectionThresholdMovesStaleness(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	path, _ := b.connectAndSync(t, c)
	c.Get(path)
	r := c.Post(path+"/settings", url.Values{"stale_hours": {"2"}, "inactive_days": {"90"}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	require.Equal(t, 1, countOf(b.auditActions(t, b.org.ID), "connection.settings"))
	b.clock.Advance(2*time.Hour + time.Minute)
	require.Equal(t, 1, reconcile(t, b))
	c.Login(ownerEmail, ownerPassword) // the idle session expired meanwhile
	require.Equal(t, "stale", tiles(t, c.Get("/o/acme/").Doc(t))["CC6.2"])

	for _, form := range []url.Values{
		{"stale_hours": {"0"}, "inactive_days": {"90"}},
		{"stale_hours": {"six"}, "inactive_days": {"90"}},
		{"stale_hours": {"6"}, "inactive_days": {"-1"}},
	} {
		r = c.Post(path+"/settings", form)
		require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode, form.Encode())
	}
	require.Equal(t, 1, countOf(b.auditActions(t, b.org.ID), "connection.settings"))
}
