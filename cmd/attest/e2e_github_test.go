package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// connectGitHub runs the connect wizard with the simulated organization:
// attest's page posts the manifest to the simulator's "new App" page, which
// creates the App and sends the browser back with a code; attest converts
// it, seals the key and sends the browser to the installation page, which
// installs the App and sends it back; attest verifies the installation and
// the first sync runs. It returns the connection's path. With record, the
// pages on the way are checked and photographed.
func (tb *tab) connectGitHub(record bool) string {
	tb.t.Helper()
	check := func(name string) {
		if record {
			tb.mainPage(name)
		}
	}
	tb.open("/o/" + e2eOrg + "/integrations/github")
	check("github-integration")
	tb.follow(`[data-testid="connect-button"]`)
	require.Equal(tb.t, "Connect GitHub", tb.text("main h1"))
	tb.do(chromedp.Click(chromedp.CSS("#method-simulated"), chromedp.NodeVisible))
	check("github-connect-wizard")

	tb.follow(`[data-testid="connect-form"] button[type=submit]`)
	tb.do(chromedp.WaitVisible(chromedp.CSS(`[data-testid="connection-status"]`)))
	path := tb.path()
	require.True(tb.t, strings.HasPrefix(path, "/o/"+e2eOrg+"/connections/"), path)
	require.Equal(tb.t, "chip chip-active", tb.attr(`[data-testid="connection-status"]`, "class"))
	tb.waitFor(`document.querySelector('#live[data-active=""] [data-testid="checks-table"]') !== null`)
	require.Equal(tb.t, "succeeded", tb.attr(`[data-testid="run-row"]`, "data-status"))
	require.Contains(tb.t, tb.text("main"), "All repositories")
	check("github-connection")
	return path
}

// githubFlow: both simulated connectors connected, change management
// (CC8.1) is fed by automated evidence on the dashboard.
func githubFlow(t *testing.T, chrome context.Context, axe string) {
	srv := startE2EServer(t, e2eServerOptions{})
	tb := newTab(t, chrome, srv.URL, axe)
	tb.signIn(e2eOwnerEmail, e2eOwnerPassword)
	tb.connectEntra(false)
	connPath := tb.connectGitHub(true)
	// The demo organization's repositories without review or with force
	// pushes allowed are taken out of scope, as a sandbox would be.
	tb.excludeEverySubject(connPath, "github.default_branch_review", "Outside the production change process: reviewed by the quarterly access review")
	tb.excludeEverySubject(connPath, "github.default_branch_no_force_push", "Outside the production change process: reviewed by the quarterly access review")
	tb.open("/o/" + e2eOrg + "/")
	require.Contains(t, []string{"automated", "both"}, tb.attr(`[data-control="CC8.1"]`, "data-evidence"))
	tb.mainPage("dashboard-two-connectors")
}

// excludeEverySubject opens a failing check from the connection's page and
// excludes all its subjects at once with one reason (the bulk form).
func (tb *tab) excludeEverySubject(connPath, check, reason string) {
	tb.t.Helper()
	tb.open(connPath)
	tb.follow(`[data-check="` + check + `"] a`)
	require.Equal(tb.t, "Failing", tb.text(`[data-testid="check-status"]`))
	row := `[data-testid="subject-row"][data-excluded="false"]`
	require.Positive(tb.t, tb.count(row))
	tb.do(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('[data-testid="subject-select"]').forEach(b => { b.checked = true })`))
	tb.fill("#exclude-reason", reason)
	tb.follow(`[data-testid="exclude-submit"]`)
	require.Zero(tb.t, tb.count(row), "every subject is excluded")
	require.Equal(tb.t, "0", tb.text(`[data-testid="failing-count"]`))
}
