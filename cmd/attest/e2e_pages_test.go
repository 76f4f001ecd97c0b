package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// axeVersion is the axe-core release line the suite installs from npm.
const axeVersion = "axe-core@4"

// loadAxe returns axe-core's browser bundle, installing it from npm into
// the gitignored .data/npm the first time.
func loadAxe(t *testing.T) string {
	t.Helper()
	prefix := filepath.Join(repoRoot(t), ".data", "npm")
	bundle := filepath.Join(prefix, "node_modules", "axe-core", "axe.min.js")
	if _, err := os.Stat(bundle); err != nil {
		npm, err := exec.LookPath("npm")
		if err != nil {
			t.Fatalf("the browser suite installs axe-core with npm, which is missing: install it with `apt-get install -y npm`")
		}
		out, err := exec.Command(npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", prefix, axeVersion).CombinedOutput()
		require.NoError(t, err, "npm install %s:\n%s", axeVersion, out)
	}
	src, err := os.ReadFile(bundle)
	require.NoError(t, err)
	return string(src)
}

// axeViolation is one rule axe-core found broken, with the elements at fault.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// axeRun runs axe on the document and keeps the serious and critical
// violations.
const axeRun = `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
	.filter(v => v.impact === 'serious' || v.impact === 'critical')
	.map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' '))})))`

// accessible injects axe-core into the page and fails on any serious or
// critical violation.
func (tb *tab) accessible() {
	tb.t.Helper()
	if value(tb, chromedp.Evaluate[bool](`typeof window.axe === "object"`)) == false {
		tb.do(chromedp.Evaluate[chromedp.Void](tb.axe))
	}
	found := value(tb, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	if len(found) == 0 {
		return
	}
	var b strings.Builder
	for _, v := range found {
		fmt.Fprintf(&b, "\n  %s (%s): %s\n    %s", v.ID, v.Impact, v.Help, strings.Join(v.Targets, "\n    "))
	}
	tb.t.Errorf("axe-core found %d serious or critical violations at %s:%s", len(found), tb.path(), b.String())
}

// screenshot saves the viewport as name.png under test-artifacts/screenshots
// and, with ATTEST_UPDATE_SCREENSHOTS=1, under docs/screenshots too.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	tb.saveScreenshot(name, value(tb, chromedp.CaptureScreenshot()), os.Getenv("ATTEST_UPDATE_SCREENSHOTS") == "1")
}

// saveScreenshot saves a PNG under test-artifacts/screenshots and, when docs
// is set, under docs/screenshots too.
func (tb *tab) saveScreenshot(name string, png []byte, docs bool) {
	tb.t.Helper()
	dirs := []string{filepath.Join(repoRoot(tb.t), "test-artifacts", "screenshots")}
	if docs {
		dirs = append(dirs, filepath.Join(repoRoot(tb.t), "docs", "screenshots"))
	}
	for _, dir := range dirs {
		require.NoError(tb.t, os.MkdirAll(dir, 0o755))
		require.NoError(tb.t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
	}
}

// phoneChrome is the most height the header and menu may take above a
// page's content on a phone (they took 225 px of its 844).
const phoneChrome = 140

// layoutWidths are the viewport widths every main page must fit without
// scrolling sideways: a phone and three desktop widths.
var layoutWidths = []int64{phoneWidth, desktopWidth, 1440, 1920}

// mainPage checks a main page: axe-core finds nothing serious, every
// relative time tells the exact time on hover, a screenshot is kept, and at
// every layout width the page does not overflow sideways.
func (tb *tab) mainPage(name string) {
	tb.t.Helper()
	tb.accessible()
	bare := value(tb, chromedp.Evaluate[[]string](`[...document.querySelectorAll('time')]
		.filter(e => !e.getAttribute('title') || !e.getAttribute('datetime')).map(e => e.outerHTML)`))
	require.Empty(tb.t, bare, "relative times without their exact time at %s", tb.path())
	tb.screenshot(name)
	tb.fitsEveryWidth(name)
}

// fitsEveryWidth checks the page at each layout width, keeping a screenshot
// of each under test-artifacts (name-390.png, ...: the phone's is the whole
// page); axe-core checks the phone layout too. The tab returns to the
// desktop viewport.
func (tb *tab) fitsEveryWidth(name string) {
	tb.t.Helper()
	defer tb.setViewport(desktopWidth, desktopHeight)
	for _, w := range layoutWidths {
		h := int64(desktopHeight)
		if w == phoneWidth {
			h = phoneHeight
		}
		tb.setViewport(w, h)
		tb.fitsWidth()
		shot := chromedp.CaptureScreenshot()
		if w == phoneWidth {
			tb.accessible()
			top := value(tb, chromedp.Evaluate[float64](`document.querySelector('main').getBoundingClientRect().top + window.scrollY`))
			require.LessOrEqual(tb.t, top, float64(phoneChrome), "the header and menu push %s's content down on a phone", tb.path())
			shot = chromedp.FullScreenshot(100)
		}
		tb.saveScreenshot(fmt.Sprintf("%s-%d", strings.TrimSuffix(name, "-390"), w), value(tb, shot), false)
	}
}

// fitsWidth fails when the page scrolls sideways: wide tables must scroll
// inside their own box.
func (tb *tab) fitsWidth() {
	tb.t.Helper()
	over := value(tb, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
	if over <= 0 {
		return
	}
	// Name what sticks out past the viewport, to say what to fix: the
	// outermost elements and text without a scrolling box around them, and
	// positioned elements (a scrolling box clips those only when it is their
	// containing block).
	culprits := value(tb, chromedp.Evaluate[[]string](`(() => {
		const w = document.documentElement.clientWidth + 1, out = [];
		const clipped = n => { for (let a = n.parentElement; a && a !== document.body; a = a.parentElement) { if (getComputedStyle(a).overflowX !== 'visible') return true } return false };
		const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
		for (let n = walk.nextNode(); n && out.length < 8; n = walk.nextNode()) {
			const r = n.nodeType === Node.TEXT_NODE ? (() => { const g = document.createRange(); g.selectNodeContents(n); return g.getBoundingClientRect() })() : n.getBoundingClientRect();
			const placed = n.nodeType === Node.ELEMENT_NODE && ['absolute', 'fixed'].includes(getComputedStyle(n).position);
			if (r.right <= w || (!placed && (clipped(n) || n.parentElement.getBoundingClientRect().right > w))) continue;
			const e = n.nodeType === Node.TEXT_NODE ? n.parentElement : n;
			out.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' (right edge ' + Math.round(r.right) + 'px): ' + n.textContent.trim().slice(0, 60));
		}
		return out;
	})()`))
	tb.screenshot("failed-overflow")
	tb.t.Errorf("%s is %dpx wider than the %dpx viewport; sticking out:\n  %s", tb.path(), over,
		value(tb, chromedp.Evaluate[int](`document.documentElement.clientWidth`)), strings.Join(culprits, "\n  "))
}

// noUnsafeForms fails when the page offers any control that changes
// something: a form that does not GET, or an htmx attribute that posts.
// Signing out (it ends only the viewer's own session) is the exception.
func (tb *tab) noUnsafeForms() {
	tb.t.Helper()
	unsafe := value(tb, chromedp.Evaluate[[]string](`[
		...[...document.querySelectorAll('form')]
			.filter(f => (f.getAttribute('method') || 'get').toLowerCase() !== 'get' && f.getAttribute('action') !== '/logout')
			.map(f => 'form ' + f.getAttribute('method') + ' ' + f.getAttribute('action')),
		...[...document.querySelectorAll('[hx-post],[hx-put],[hx-patch],[hx-delete]')]
			.map(e => e.tagName.toLowerCase() + ' ' + e.outerHTML.slice(0, 120)),
	]`))
	require.Empty(tb.t, unsafe, "an auditor's page %s offers changes", tb.path())
}
