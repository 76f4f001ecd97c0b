package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/entrasim"
)

// completeFlow is the README's road to 100%: the owner connects Entra ID,
// fixes in the tenant what the checks found (the test plays the tenant's
// administrator in the simulator), excludes the one account that stays at
// risk on purpose, syncs again, documents every criterion no connector
// checks with one policy set, marks the one that does not apply, and the
// dashboard reads 100% with every control passing or not applicable.
func completeFlow(t *testing.T, chrome context.Context, axe string) {
	srv := startE2EServer(t, e2eServerOptions{})
	tb := newTab(t, chrome, srv.URL, axe)
	tb.signIn(e2eOwnerEmail, e2eOwnerPassword)
	connPath := tb.connectEntra(false)

	// The administrator reads each list first, then works through them in
	// the tenant: inactive accounts are disabled, everyone else registers
	// an authenticator (an enabled user missing from the registration report
	// gets a row once the directory touches the account).
	inactive := tb.failingSubjects(connPath, entra.CheckInactive)
	withoutMFA := append(tb.failingSubjects(connPath, entra.CheckMFAMembers), tb.failingSubjects(connPath, entra.CheckMFAAdmins)...)
	tenant := srv.app.simulator.Tenant(entrasim.DefaultTenantID)
	for _, id := range inactive {
		require.NoError(t, tenant.UpdateUser(id, func(u *entrasim.User) { u.AccountEnabled = false }))
	}
	for _, id := range withoutMFA {
		if slices.Contains(inactive, id) {
			continue
		}
		require.NoError(t, tenant.UpdateUser(id, func(*entrasim.User) {}))
		require.NoError(t, tenant.UpdateRegistration(id, registerAuthenticator))
	}
	tb.excludeTheRiskyUser(connPath, false)
	tb.syncsNow(connPath)
	require.Equal(t, 0, tb.count(`[data-testid="check-row"][data-status="fail"]`), "every check passes after the fixes")

	tb.documentsEverythingUnchecked()
	tb.open("/o/acme/controls/CC9.2")
	tb.do(chromedp.SendKeys(chromedp.CSS("#justification"), "We have no vendors or business partners that process customer data."))
	tb.follow(`[data-testid="scope-form"] button[type=submit]`)

	tb.follow(`nav a[href="/o/acme/"]`)
	require.Equal(t, "100%", tb.text(`[data-testid="coverage-value"]`))
	require.Equal(t, 32, tb.count(`[data-control][data-status="passing"]`), "every criterion in scope passes")
	require.Equal(t, 1, tb.count(`[data-control][data-status="not_applicable"]`))
	require.Equal(t, "automated", tb.attr(`[data-control="CC6.1"]`, "data-evidence"))
	require.Equal(t, "documented", tb.attr(`[data-control="CC8.1"]`, "data-evidence"))
	tb.mainPage("dashboard-complete")
}

// registerAuthenticator is what a user registering Microsoft Authenticator
// changes in the tenant's registration report.
func registerAuthenticator(d *entrasim.RegistrationDetail) {
	d.IsMfaRegistered, d.IsMfaCapable = true, true
	d.MethodsRegistered = append(d.MethodsRegistered, "microsoftAuthenticatorPush")
}

// failingSubjects reads the keys of a check's failing subjects off its page,
// as an administrator would read the list to fix them at the source.
func (tb *tab) failingSubjects(connPath, check string) []string {
	tb.t.Helper()
	tb.open(connPath)
	tb.follow(`[data-check="` + check + `"] a`)
	keys := value(tb, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('[data-testid="subject-row"][data-excluded="false"]')].map(r => r.dataset.subject)`))
	require.NotEmpty(tb.t, keys, "%s has failing subjects to fix", check)
	return keys
}

// syncsNow presses "Sync now" on the connection's page and waits for the
// live region to show the new run finished successfully.
func (tb *tab) syncsNow(connPath string) {
	tb.t.Helper()
	tb.open(connPath)
	runs := tb.count(`[data-testid="run-row"]`)
	tb.do(chromedp.Click(chromedp.CSS(`[data-testid="sync-now"]`), chromedp.NodeVisible))
	tb.waitFor(fmt.Sprintf(`document.querySelectorAll('[data-testid="run-row"]').length > %d && document.querySelector('#live[data-active=""] [data-testid="checks-table"]') !== null`, runs))
	require.Equal(tb.t, runs+1, tb.count(`[data-testid="run-row"]`))
	require.Equal(tb.t, "succeeded", tb.attr(`[data-testid="run-row"]`, "data-status"))
}

// documentsEverythingUnchecked adds one policy set supporting every Security
// criterion that no connector checks (all but CC6.1, CC6.2, CC7.1 and the
// not-applicable CC9.2), through the new-document form.
func (tb *tab) documentsEverythingUnchecked() {
	tb.t.Helper()
	file := filepath.Join(tb.t.TempDir(), "security-policies.pdf")
	require.NoError(tb.t, os.WriteFile(file, []byte("%PDF-1.7\nInformation security policy set\n%%EOF\n"), 0o600))
	tb.open("/o/acme/documents")
	tb.follow(`[data-testid="new-document"]`)
	tb.fill("#title", "Information security policy set")
	ticked := value(tb, chromedp.Evaluate[int](`(() => {
		const skip = new Set(["CC6.1", "CC6.2", "CC7.1", "CC9.2"]);
		let n = 0;
		for (const box of document.querySelectorAll('input[name="criteria"]')) {
			if (box.value.startsWith("CC") && !skip.has(box.value)) { box.checked = true; n++; }
		}
		return n;
	})()`))
	require.Equal(tb.t, 29, ticked, "33 Security criteria less the three Entra checks and CC9.2")
	tb.do(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
	tb.follow(`[data-testid="new-document-form"] button[type=submit]`)
	require.Equal(tb.t, "Information security policy set", tb.text(`[data-testid="document-title"]`))
}
