package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// e2ePolicyPDF is the small PDF the owner uploads; its bytes must come back
// unchanged in the assessment's ZIP.
const e2ePolicyPDF = "%PDF-1.7\nCode of conduct and information security policy\n%%EOF\n"

// documentsRaiseCoverage uploads a PDF through the new-document form for
// CC1.1 and CC5.2, marks CC9.2 not applicable on its control page, and sees
// the dashboard's coverage rise with CC1.1 passing on documented evidence.
// It returns the PDF's bytes.
func (tb *tab) documentsRaiseCoverage() []byte {
	tb.t.Helper()
	tb.open("/o/acme/")
	before := coveragePercent(tb.t, tb.text(`[data-testid="coverage-value"]`))
	require.NotEqual(tb.t, "passing", tb.attr(`[data-control="CC1.1"]`, "data-status"))

	file := filepath.Join(tb.t.TempDir(), "code-of-conduct.pdf")
	require.NoError(tb.t, os.WriteFile(file, []byte(e2ePolicyPDF), 0o600))
	tb.follow(`nav a[href="/o/acme/documents"]`)
	tb.follow(`[data-testid="new-document"]`)
	tb.fill("#title", "Code of conduct")
	tb.do(chromedp.Click(chromedp.CSS(`#crit-CC1\.1`), chromedp.NodeVisible))
	tb.do(chromedp.Click(chromedp.CSS(`#crit-CC5\.2`), chromedp.NodeVisible))
	tb.do(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
	tb.follow(`[data-testid="new-document-form"] button[type=submit]`)
	require.Equal(tb.t, "Code of conduct", tb.text(`[data-testid="document-title"]`))
	criteria := tb.text(`[data-testid="document-criteria"]`)
	require.Contains(tb.t, criteria, "CC1.1")
	require.Contains(tb.t, criteria, "CC5.2")
	require.Equal(tb.t, 1, tb.count(`[data-testid="revision-row"]`))
	require.Equal(tb.t, "code-of-conduct.pdf", tb.text(`[data-testid="revision-row"] [data-testid="download"]`))
	tb.follow(`nav a[href="/o/acme/documents"]`)
	require.Equal(tb.t, 1, tb.count(`[data-testid="document-row"]`))
	tb.mainPage("documents")

	tb.open("/o/acme/controls/CC9.2")
	// The textarea starts empty, and chromedp cannot clear a textarea without a text node.
	tb.do(chromedp.SendKeys(chromedp.CSS("#justification"), "We have no vendors or business partners that process customer data."))
	tb.follow(`[data-testid="scope-form"] button[type=submit]`)
	require.Equal(tb.t, "We have no vendors or business partners that process customer data.", tb.text(`[data-testid="justification"]`))
	value(tb, chromedp.Evaluate[bool](`document.getElementById("scope-heading").scrollIntoView({block: "start"}), true`))
	tb.screenshot("control-scope")

	tb.follow(`nav a[href="/o/acme/"]`)
	require.Greater(tb.t, coveragePercent(tb.t, tb.text(`[data-testid="coverage-value"]`)), before, "coverage rose")
	require.Equal(tb.t, "passing", tb.attr(`[data-control="CC1.1"]`, "data-status"))
	require.Equal(tb.t, "documented", tb.attr(`[data-control="CC1.1"]`, "data-evidence"))
	require.Equal(tb.t, "not_applicable", tb.attr(`[data-control="CC9.2"]`, "data-status"))
	return []byte(e2ePolicyPDF)
}

// coveragePercent reads the dashboard's coverage figure, such as "42%".
func coveragePercent(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%")), 64)
	require.NoError(t, err, "coverage %q", s)
	return f
}

// requireSHA256SUMS checks every line of a bundle's SHA256SUMS against the
// SHA-256 of the file it names, and that every other file is listed.
func requireSHA256SUMS(t *testing.T, files map[string][]byte) {
	t.Helper()
	listed := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(files["SHA256SUMS"]))
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		require.True(t, ok, "a SHA256SUMS line: %q", sc.Text())
		body, found := files[name]
		require.True(t, found, "SHA256SUMS lists %s, which is not in the ZIP", name)
		got := sha256.Sum256(body)
		require.Equal(t, sum, hex.EncodeToString(got[:]), name)
		listed[name] = true
	}
	require.NoError(t, sc.Err())
	for name := range files {
		if name != "SHA256SUMS" {
			require.True(t, listed[name], "%s is not in SHA256SUMS", name)
		}
	}
}

// requireDocumentFile finds the uploaded file, byte for byte, under the
// bundle's documents/.
func requireDocumentFile(t *testing.T, files map[string][]byte, want []byte) {
	t.Helper()
	for name, body := range files {
		if strings.HasPrefix(name, "documents/") && strings.HasSuffix(name, "-code-of-conduct.pdf") {
			require.Equal(t, want, body, name)
			return
		}
	}
	t.Fatalf("no documents/…-code-of-conduct.pdf in the ZIP")
}
