package main

import (
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// fixesFromTheDashboard reads the "needs attention" list (failing checks,
// most failing subjects first, each a link to its check) and narrows the
// control tiles to the failing ones in place: htmx swaps the panels and
// the address keeps the filter for a reload or a shared link.
func (tb *tab) fixesFromTheDashboard() {
	tb.t.Helper()
	tb.open("/o/acme/")
	require.Positive(tb.t, tb.count(`[data-testid="attention-item"][data-kind="failing_check"]`))
	require.Contains(tb.t, tb.attr(`[data-testid="attention-item"] .attention-title`, "href"), "/checks/")

	failing := tb.count(`[data-testid="control-tile"][data-status="failing"]`)
	require.Positive(tb.t, failing)
	tb.do(chromedp.Click(chromedp.CSS(`[data-testid="tile-filter"] a[data-value="failing"]`), chromedp.NodeVisible))
	tb.waitFor(`document.querySelector('[data-testid="tile-filter"] a[data-value="failing"]')?.getAttribute('aria-current') === 'page'`)
	require.Equal(tb.t, failing, tb.count(`[data-testid="control-tile"]`))
	require.Equal(tb.t, "/o/acme/?state=failing", tb.path())
	tb.open("/o/acme/?state=failing&sort=state")
	require.Equal(tb.t, failing, tb.count(`[data-testid="control-tile"]`), "the filter holds without a script")
}
