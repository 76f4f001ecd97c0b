package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/require"
)

// e2eAuditorEmail is the auditor the owner invites.
const e2eAuditorEmail = "auditor@audit-firm.test"

// auditorFlow: the owner invites an auditor in the UI; the auditor opens the
// link in a browser of their own, chooses a password by keyboard alone, and
// reads every page without one control that changes anything; a change
// forced from the page answers 403.
func auditorFlow(t *testing.T, chrome context.Context, axe string) {
	srv := startE2EServer(t, e2eServerOptions{})
	owner := newTab(t, chrome, srv.URL, axe)
	owner.signIn(e2eOwnerEmail, e2eOwnerPassword)
	connPath := owner.connectEntra(false)
	link := owner.invites(e2eAuditorEmail)

	auditor := newTab(t, chrome, srv.URL, axe)
	auditor.acceptsInvitation(strings.TrimPrefix(link, srv.URL))
	require.Equal(t, "Read-only auditor access", auditor.text(`[data-testid="readonly-badge"]`))
	auditor.mainPage("auditor-dashboard")

	checkPath := connPath + "/checks/entra.mfa_members"
	for _, p := range []string{"/o/acme/", connPath, checkPath, "/o/acme/integrations", "/o/acme/integrations/entra",
		"/o/acme/evidence", "/o/acme/controls", "/o/acme/controls/CC6.1", "/o/acme/assessments",
		"/o/acme/alerts", "/o/acme/audit", "/o/acme/settings"} {
		auditor.open(p)
		auditor.noUnsafeForms()
	}
	auditor.open("/o/acme/evidence")
	auditor.follow(`[data-testid="evidence-row"] a`)
	auditor.noUnsafeForms()
	require.Equal(t, 0, auditor.count(`[data-testid="exclude-form"], [data-testid="sync-now"], [data-testid="revoke"]`))

	// Changes forced from the page, with the session's own CSRF token, are
	// refused.
	require.Equal(t, 403, auditor.forcePost(connPath+"/sync"))
	require.Equal(t, 403, auditor.forcePost(connPath+"/revoke"))
	auditor.open(connPath)
	require.Equal(t, "chip chip-active", auditor.attr(`[data-testid="connection-status"]`, "class"), "nothing changed")
}

// forcePost posts to path with fetch() from the page, sending the CSRF
// header htmx would, and returns the status.
func (tb *tab) forcePost(path string) int {
	tb.t.Helper()
	return value(tb, chromedp.Evaluate[int](fmt.Sprintf(`fetch(%q, {
		method: 'POST', headers: JSON.parse(document.body.getAttribute('hx-headers')),
	}).then(r => r.status)`, path), chromedp.EvalAwaitPromise))
}

// invites creates an invitation on the Auditors page, after a typo the form
// explains, and returns the one-time link.
func (tb *tab) invites(email string) string {
	tb.t.Helper()
	tb.follow(`nav a[href="/o/acme/auditors"]`)
	tb.fill("#email", "auditor-at-audit-firm")
	tb.followStatus(`[data-testid="invite"]`, 422)
	require.Equal(tb.t, "true", tb.attr("#email", "aria-invalid"))
	require.Contains(tb.t, tb.attr("#email", "aria-describedby"), "email-error", "the error is tied to its field")
	require.NotEmpty(tb.t, tb.text("#email-error"))
	require.Equal(tb.t, "auditor-at-audit-firm", value(tb, chromedp.Value(chromedp.CSS("#email"))), "the input is kept")

	tb.fill("#email", email)
	tb.follow(`[data-testid="invite"]`) // redirected to the page that shows the link, once
	link := tb.text(`[data-testid="invitation-url"]`)
	require.True(tb.t, strings.HasPrefix(link, tb.base+"/invitations/"), link)
	require.Equal(tb.t, 1, tb.count(`[data-testid="invitation-row"][data-email="`+email+`"]`))
	tb.mainPage("auditors")
	return link
}

// acceptsInvitation opens the link, is told when the passwords differ, and
// then chooses a password using the keyboard only, with the focus visible
// on each field.
func (tb *tab) acceptsInvitation(path string) {
	tb.t.Helper()
	tb.open(path)
	require.Equal(tb.t, e2eAuditorEmail, tb.text(`[data-testid="invited-email"]`))
	tb.accessible()

	tb.fill("#password", "auditor passphrase 2026")
	tb.fill("#confirm", "auditor passphrase 2062")
	tb.followStatus(`[data-testid="accept"]`, 422)
	require.Equal(tb.t, "true", tb.attr("#confirm", "aria-invalid"))
	require.Contains(tb.t, tb.attr("#confirm", "aria-describedby"), "confirm-error")
	require.NotEmpty(tb.t, tb.text("#confirm-error"))

	tb.tabTo("#password")
	tb.do(chromedp.KeyEvent("auditor passphrase 2026"))
	tb.tabTo("#confirm")
	tb.do(chromedp.KeyEvent("auditor passphrase 2026"))
	ctx, cancel := tb.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(kb.Enter))
	require.NoError(tb.t, err)
	requireOK(tb.t, resp, "accepting the invitation")
	require.Equal(tb.t, "/o/acme/", tb.path())
}

// tabTo presses Tab until the element has the focus, which must be visible.
func (tb *tab) tabTo(sel string) {
	tb.t.Helper()
	for range 20 {
		if value(tb, chromedp.Evaluate[bool](fmt.Sprintf(`document.activeElement === document.querySelector(%q)`, sel))) {
			style := value(tb, chromedp.Evaluate[string](`getComputedStyle(document.activeElement).outlineStyle`))
			require.NotEqual(tb.t, "none", style, "the focus on %s is not visible", sel)
			return
		}
		tb.do(chromedp.KeyEvent(kb.Tab))
	}
	tb.t.Fatalf("Tab never reached %s", sel)
}
