package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/jobs"
)

// staleFlow: seven hours after the last sync (the threshold is six), the
// dashboard shows the connection's controls as stale, coverage degraded,
// and the alert banner on every page.
func staleFlow(t *testing.T, chrome context.Context, axe string) {
	srv := startE2EServer(t, e2eServerOptions{NoPeriodic: true})
	tb := newTab(t, chrome, srv.URL, axe)
	tb.signIn(e2eOwnerEmail, e2eOwnerPassword)
	connPath := tb.connectEntra(false)
	tb.open("/o/acme/")
	require.Equal(t, "1", tb.text(`[data-testid="health-fresh"] .state-count`))
	require.Equal(t, 0, tb.count(`[data-testid="alert-banner"]`))

	srv.clock.Advance(7 * time.Hour)
	srv.runJob(t, jobs.StalenessArgs{}) // as its five-minute schedule would

	// The session went idle meanwhile: sign in again, as the owner would.
	tb.signIn(e2eOwnerEmail, e2eOwnerPassword)
	require.Contains(t, tb.text(`[data-testid="alert-banner"]`), "1 open alert")
	require.Equal(t, "0%", tb.text(`[data-testid="coverage-value"]`), "stale never counts as passing")
	require.Equal(t, "3", tb.text(`[data-testid="count-stale"] .state-count`))
	require.Equal(t, "1", tb.text(`[data-testid="health-stale"] .state-count`))
	require.Equal(t, "stale", tb.attr(`[data-control="CC6.1"]`, "data-status"))
	require.Contains(t, tb.text(`[data-testid="dashboard-alerts"]`), "is stale")
	tb.mainPage("dashboard-stale")

	tb.open(connPath)
	require.Equal(t, "Stale", tb.text(`[data-testid="freshness"]`))
	require.Contains(t, tb.text(`[data-testid="alert-banner"]`), "1 open alert", "the banner is on every page")

	// A platform operator sees it too, from the console, in counts only.
	ops := newTab(t, chrome, srv.URL, axe)
	srv.seedOperator(t)
	ops.open("/login")
	ops.fill("#email", e2eOperatorEmail)
	ops.fill("#password", e2eOperatorPassword)
	ops.follow(`form[action="/login"] button[type=submit]`)
	require.Equal(t, "/ops", ops.path())
	acme := `[data-testid="ops-org"][data-org="` + e2eOrg + `"] `
	require.Equal(t, "1", ops.text(acme+`[data-testid="count-stale"]`))
	require.Equal(t, "0", ops.text(acme+`[data-testid="count-fresh"]`))
	require.Equal(t, "1", ops.text(acme+`[data-testid="count-alerts"]`))
	ops.mainPage("ops-health")
}
