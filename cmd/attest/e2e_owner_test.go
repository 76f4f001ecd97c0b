package main

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// ownerFlow is an owner's first day: sign in, connect Entra ID through the
// wizard and the consent page, watch the first sync, exclude a failing
// subject and see coverage move, read evidence and controls, add a document
// and mark a control not applicable and see coverage rise, freeze an
// assessment and check its ZIP offline, and revoke the connection with its
// history kept.
func ownerFlow(t *testing.T, chrome context.Context, axe string) {
	srv := startE2EServer(t, e2eServerOptions{})
	tb := newTab(t, chrome, srv.URL, axe)

	tb.signIn(e2eOwnerEmail, e2eOwnerPassword)
	require.Equal(t, 1, tb.count(`[data-testid="dashboard-empty"]`), "a new organization is told what to do first")
	tb.mainPage("dashboard-empty")

	tb.follow(`nav a[href="/o/acme/integrations"]`)
	require.Equal(t, "Not connected", tb.text(`[data-testid="connector-status"]`))
	tb.mainPage("catalog")

	tb.follow(`[data-testid="connector-card"] h2 a`)
	tb.mainPage("entra")
	tb.copiesRedirectURI(srv.URL + "/api/integrations/entra/callback")

	connPath := tb.connectEntra(true)
	tb.mainPage("connection")
	value(tb, chromedp.Evaluate[bool](`document.getElementById("datasets-heading").scrollIntoView({block: "start"}), true`))
	tb.screenshot("sync-log")

	tb.open("/o/acme/")
	before := tb.text(`[data-testid="coverage-value"]`)
	require.Equal(t, "failing", tb.attr(`[data-control="CC7.1"]`, "data-status"))
	tb.mainPage("dashboard")
	tb.fixesFromTheDashboard()

	tb.excludeTheRiskyUser(connPath, true)
	tb.follow(`nav a[href="/o/acme/"]`)
	require.Equal(t, "passing", tb.attr(`[data-control="CC7.1"]`, "data-status"), "the exclusion settles CC7.1's only failing check")
	require.NotEqual(t, before, tb.text(`[data-testid="coverage-value"]`), "coverage moved")

	tb.readsEvidenceAndControls()
	tb.downloadsEvidenceCSV()
	pdf := tb.documentsRaiseCoverage()
	tb.approvesAnAssessment()
	tb.downloadsAssessmentZIP(pdf)
	tb.follow(`nav a[href="/o/acme/assessments"]`)
	require.Equal(t, "approved", tb.attr(`[data-testid="assessment-row"]`, "data-status"))
	tb.mainPage("assessments")

	tb.follow(`nav a[href="/o/acme/audit"]`)
	require.Positive(t, tb.count(`[data-testid="audit-row"]`))
	tb.mainPage("audit-log")

	tb.holdsAtPhoneWidth(connPath)
	tb.readsWithoutJavaScript(connPath)
	tb.revokes(connPath)
}

// readsWithoutJavaScript turns scripts off: the pages still render whole
// (htmx only enhances them), and the copy button, which needs a script,
// stays hidden.
func (tb *tab) readsWithoutJavaScript(connPath string) {
	tb.t.Helper()
	noScript := func(off bool) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off})
			return err
		})
	}
	tb.do(noScript(true))
	defer tb.do(noScript(false))
	tb.open(connPath)
	require.Equal(tb.t, 6, tb.count(`[data-testid="check-row"]`))
	require.Equal(tb.t, "Fresh", tb.text(`[data-testid="freshness"]`))
	tb.open("/o/acme/")
	require.Equal(tb.t, 33, tb.count(`[data-testid="control-tile"]`))
	tb.open("/o/acme/integrations/entra")
	require.Equal(tb.t, 1, tb.count(`[data-copy][hidden]`))
}

// copiesRedirectURI clicks the copy button next to the redirect URI and
// reads the clipboard back.
func (tb *tab) copiesRedirectURI(want string) {
	tb.t.Helper()
	require.Equal(tb.t, want, tb.text(`[data-testid="redirect-uri"]`))
	tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		for _, name := range []string{"clipboard-read", "clipboard-write"} {
			_, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
				Permission: &browser.PermissionDescriptor{Name: name}, Setting: browser.PermissionSettingGranted,
				Origin: tb.base, BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
			})
			if err != nil {
				return err
			}
		}
		return nil
	}))
	tb.do(chromedp.Click(chromedp.CSS(`[data-copy="#redirect-uri"]`), chromedp.NodeVisible))
	tb.waitFor(`document.querySelector('[data-copy="#redirect-uri"]').dataset.copied === 'true'`)
	require.Equal(tb.t, "Copied", tb.text(`[data-copy="#redirect-uri"]`))
	require.Equal(tb.t, want, value(tb, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise)))
}

// excludeTheRiskyUser opens the failing risky-user check from the
// connection's page and excludes its one subject with a reason.
func (tb *tab) excludeTheRiskyUser(connPath string, record bool) {
	tb.t.Helper()
	tb.open(connPath)
	tb.follow(`[data-check="entra.risky_users_unresolved"] a`)
	require.Equal(tb.t, "Failing", tb.text(`[data-testid="check-status"]`))
	require.Equal(tb.t, 1, tb.count(`[data-testid="subject-row"]`))
	require.Equal(tb.t, "1", tb.text(`[data-testid="failing-count"]`))
	if record {
		tb.mainPage("check")
	}

	// The subject links to its evidence record; the check says what to do.
	require.NotEmpty(tb.t, tb.attr(`[data-testid="subject-evidence"]`, "href"))
	require.NotEmpty(tb.t, tb.text(`[data-testid="check-guidance"]`))

	// Without a reason the browser refuses to send the form, and says why.
	tb.do(chromedp.Click(chromedp.CSS(`[data-testid="subject-select"]`), chromedp.NodeVisible))
	submit := `[data-testid="exclude-submit"]`
	tb.do(chromedp.Click(chromedp.CSS(submit), chromedp.NodeVisible))
	require.True(tb.t, value(tb, chromedp.Evaluate[bool](`document.querySelector('#exclude-reason').validity.valueMissing`)))
	require.Equal(tb.t, "false", tb.attr(`[data-testid="subject-row"]`, "data-excluded"))

	tb.fill("#exclude-reason", "Break-glass account, monitored by the SOC")
	tb.follow(submit)
	require.NotEmpty(tb.t, tb.text("#flashes"), "a flash confirms the exclusion")
	require.Equal(tb.t, "true", tb.attr(`[data-testid="subject-row"]`, "data-excluded"))
	require.Equal(tb.t, "0", tb.text(`[data-testid="failing-count"]`))
	require.Contains(tb.t, tb.text(`[data-testid="subject-row"]`), "Break-glass account, monitored by the SOC")
}

// readsEvidenceAndControls pages through the evidence, opens a record, and
// opens the controls and one control.
func (tb *tab) readsEvidenceAndControls() {
	tb.t.Helper()
	tb.follow(`nav a[href="/o/acme/evidence"]`)
	require.Equal(tb.t, 50, tb.count(`[data-testid="evidence-row"]`), "evidence pages by 50")
	require.Equal(tb.t, 1, tb.count(`a[rel="next"]`))
	tb.mainPage("evidence")
	tb.follow(`[data-testid="evidence-row"] a`)
	require.Equal(tb.t, 64, len(tb.text(`[data-testid="fingerprint"]`)), "a SHA-256 fingerprint")
	tb.mainPage("evidence-record")

	tb.follow(`nav a[href="/o/acme/controls"]`)
	require.Positive(tb.t, tb.count(`[data-testid="control-row"]`))
	tb.mainPage("controls")
	tb.follow(`[data-control="CC6.1"] a`)
	require.Equal(tb.t, "failing", tb.attr(`[data-testid="control-status"]`, "data-status"))
	tb.mainPage("control")
}

// approvesAnAssessment creates an assessment for the last year, submits it
// and approves it after the confirmation.
func (tb *tab) approvesAnAssessment() {
	tb.t.Helper()
	tb.follow(`nav a[href="/o/acme/assessments"]`)
	require.Equal(tb.t, 1, tb.count(`[data-testid="empty-state"]`))
	tb.fill("#name", "SOC 2 Type II, FY2026")
	tb.follow(`[data-testid="new-assessment"] button[type=submit]`)
	require.Equal(tb.t, "draft", tb.attr(`[data-testid="assessment-status"]`, "data-status"))
	require.NotEqual(tb.t, "0", tb.text(`[data-testid="assessment-records"]`))

	tb.follow(`[data-testid="submit"]`)
	require.Equal(tb.t, "review", tb.attr(`[data-testid="assessment-status"]`, "data-status"))
	confirmed := tb.acceptNextDialog()
	tb.follow(`[data-testid="approve"]`)
	require.Contains(tb.t, <-confirmed, "Approve and freeze")
	require.Equal(tb.t, "approved", tb.attr(`[data-testid="assessment-status"]`, "data-status"))
	require.NotEmpty(tb.t, tb.text("#flashes"), "a flash confirms the approval")
	require.Len(tb.t, tb.text(`[data-testid="root-hash"]`), 64)
	tb.mainPage("assessment")
}

// downloadsEvidenceCSV narrows the evidence to one kind, downloads it as
// CSV and finds the rows the page lists.
func (tb *tab) downloadsEvidenceCSV() {
	tb.t.Helper()
	tb.open("/o/acme/evidence")
	tb.do(chromedp.SetValue(chromedp.CSS("#kind"), "entra.ca_policy"))
	tb.follow(`[data-testid="evidence-filters"] button[type=submit]`)
	listed := tb.count(`[data-testid="evidence-row"]`)
	require.Positive(tb.t, listed)
	require.Less(tb.t, listed, 50, "one page holds them all")
	require.Equal(tb.t, "Download CSV", tb.text(`[data-testid="export-csv"]`))

	name, body := tb.download(`[data-testid="export-csv"]`)
	require.Regexp(tb.t, `^attest-acme-evidence-.+\.csv$`, name)
	header, records := parseCSV(tb.t, body)
	require.Contains(tb.t, header, "fingerprint")
	require.Len(tb.t, records, listed)
	for _, r := range records {
		require.Equal(tb.t, "acme", r[0])
		require.Equal(tb.t, "entra.ca_policy", r[2])
	}
}

// downloadsAssessmentZIP downloads the approved assessment's bundle: its
// manifest repeats the page's root hash, the exclusion made earlier travels
// with its reason, every file matches its line in SHA256SUMS, and the
// uploaded document is under documents/.
func (tb *tab) downloadsAssessmentZIP(pdf []byte) {
	tb.t.Helper()
	root := tb.text(`[data-testid="root-hash"]`)
	name, body := tb.download(`[data-testid="download-zip"]`)
	require.Regexp(tb.t, `^attest-acme-assessment-.+\.zip$`, name)
	files := unzip(tb.t, body)
	for _, want := range []string{"manifest.json", "checks.csv", "exclusions.csv", "fingerprints.txt", "SHA256SUMS"} {
		require.Contains(tb.t, files, want)
	}
	var manifest struct {
		RootHash string `json:"root_hash"`
		Status   string `json:"status"`
	}
	require.NoError(tb.t, json.Unmarshal(files["manifest.json"], &manifest))
	require.Equal(tb.t, root, manifest.RootHash)
	require.Equal(tb.t, "approved", manifest.Status)
	require.Contains(tb.t, string(files["exclusions.csv"]), "Break-glass account, monitored by the SOC")
	requireSHA256SUMS(tb.t, files)
	requireDocumentFile(tb.t, files, pdf)
}

// holdsAtPhoneWidth loads the main pages 390 px wide: nothing scrolls
// sideways, and the dashboard is photographed.
func (tb *tab) holdsAtPhoneWidth(connPath string) {
	tb.t.Helper()
	tb.setViewport(phoneWidth, phoneHeight)
	defer tb.setViewport(desktopWidth, desktopHeight)
	for _, p := range []string{connPath, "/o/acme/evidence", "/o/acme/controls", "/o/acme/assessments", "/o/acme/audit"} {
		tb.open(p)
		tb.fitsWidth()
	}
	tb.open("/o/acme/")
	tb.mainPage("dashboard-390")
}

// revokes revokes the connection after the confirmation; its history and
// evidence stay.
func (tb *tab) revokes(connPath string) {
	tb.t.Helper()
	tb.open(connPath)
	// A healthy connection keeps its actions in the "Manage connection" menu.
	tb.do(chromedp.Click(chromedp.CSS(`[data-testid="connection-menu"] summary`), chromedp.NodeVisible))
	confirmed := tb.acceptNextDialog()
	tb.follow(`[data-testid="revoke"]`)
	require.Contains(tb.t, <-confirmed, "Evidence and history are kept")
	require.Equal(tb.t, connPath, tb.path())
	require.NotEmpty(tb.t, tb.text("#flashes"), "a flash confirms the revocation")
	require.Equal(tb.t, 1, tb.count(`[data-testid="revoked-note"]`))
	require.Equal(tb.t, "chip chip-revoked", tb.attr(`[data-testid="connection-status"]`, "class"))
	actions := value(tb, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-testid="connection-history"] tr[data-action]')].map(r => r.dataset.action)`))
	require.Contains(tb.t, actions, "connection.revoke")
	require.Contains(tb.t, actions, "connection.connect", "the history before the revocation is kept")
	tb.open("/o/acme/evidence")
	require.Equal(tb.t, 50, tb.count(`[data-testid="evidence-row"]`), "the evidence is kept")
}
