package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// chromiumPath is Debian's Chromium; the suite never downloads a browser.
const chromiumPath = "/usr/bin/chromium"

// e2eStepTimeout bounds one browser step (a navigation, a wait).
const e2eStepTimeout = 45 * time.Second

// Viewports of the suite: the desktop layout and a phone's.
const (
	desktopWidth, desktopHeight = 1280, 900
	phoneWidth, phoneHeight     = 390, 844
)

// startE2EBrowser starts one headless Chromium for the whole suite; each
// scenario opens isolated tabs in it. It stops when t ends.
func startE2EBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the browser suite drives Debian's Chromium at %s, which is missing: install it with `apt-get install -y chromium` (%v)", chromiumPath, err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.WindowSize(desktopWidth, desktopHeight),
		chromedp.Flag("hide-scrollbars", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	require.NoError(t, chromedp.Do(ctx), "start Chromium")
	return ctx
}

// tab is one browser tab in a browser context of its own (cookies and
// storage apart from every other tab), on one attest server.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	axe  string
}

// newTab opens a fresh, isolated tab at the desktop size.
func newTab(t *testing.T, chrome context.Context, base, axe string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(chrome, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	require.NoError(t, chromedp.Do(ctx), "open a tab") // no timeout: it binds the tab's life
	tb := &tab{t: t, ctx: ctx, base: base, axe: axe}
	tb.do(chromedp.EmulateViewport(desktopWidth, desktopHeight))
	return tb
}

// step returns a context for one step, bounded by e2eStepTimeout.
func (tb *tab) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(tb.ctx, e2eStepTimeout)
}

// do runs actions and fails the test on the first error.
func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	require.NoError(tb.t, chromedp.Do(ctx, actions...), "at %s", tb.location())
}

// value runs one action that returns a value.
func value[T any](tb *tab, a chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	require.NoError(tb.t, err, "at %s", tb.location())
	return v
}

// location is the tab's URL, for failure messages.
func (tb *tab) location() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown page)"
	}
	return loc
}

// path is the tab's URL without the server's origin.
func (tb *tab) path() string { return strings.TrimPrefix(value(tb, chromedp.Location()), tb.base) }

// open navigates to a path of the server and requires a 200 page.
func (tb *tab) open(path string) {
	tb.t.Helper()
	resp := value(tb, chromedp.NavigateResponse(tb.base+path))
	requireOK(tb.t, resp, path)
}

// follow clicks a link or a submit button and waits for the page it leads
// to, which must answer 200 (after any redirects).
func (tb *tab) follow(sel string) {
	tb.t.Helper()
	tb.followStatus(sel, 200)
}

// followStatus is follow for a page that must answer status, such as a
// form sent back with its errors (422).
func (tb *tab) followStatus(sel string, status int64) {
	tb.t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	require.NoError(tb.t, err, "click %s at %s", sel, tb.location())
	require.NotNil(tb.t, resp, "no response after clicking %s", sel)
	require.Equal(tb.t, status, resp.Status, "%s answered %d at %s", sel, resp.Status, resp.URL)
}

func requireOK(t *testing.T, resp *network.Response, what string) {
	t.Helper()
	require.NotNil(t, resp, "no response for %s", what)
	require.Equal(t, int64(200), resp.Status, "%s answered %d at %s", what, resp.Status, resp.URL)
}

// text is the visible text of the first match.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return strings.TrimSpace(value(tb, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible)))
}

// count is how many elements match now (no waiting).
func (tb *tab) count(sel string) int {
	tb.t.Helper()
	return value(tb, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
}

// attr is an attribute of the first match.
func (tb *tab) attr(sel, name string) string {
	tb.t.Helper()
	return value(tb, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q)?.getAttribute(%q)) ?? ""`, sel, name)))
}

// waitFor waits, without reloading, until the JavaScript expression is true
// in the page, re-evaluating it on every DOM change.
func (tb *tab) waitFor(expr string) {
	tb.t.Helper()
	tb.do(chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingMutation(), chromedp.WithPollingTimeout(e2eStepTimeout)))
}

// fill types into a form field after clearing it.
func (tb *tab) fill(sel, value string) {
	tb.t.Helper()
	tb.do(chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), value))
}

// setViewport changes the tab's viewport width and height.
func (tb *tab) setViewport(w, h int64) {
	tb.t.Helper()
	tb.do(chromedp.EmulateViewport(w, h))
}

// acceptNextDialog answers the next JavaScript confirm() in the tab with OK
// and delivers its message (or closes empty when none came in time).
func (tb *tab) acceptNextDialog() <-chan string {
	ctx, cancel := tb.step()
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	got := make(chan string, 1)
	go func() {
		defer cancel()
		defer close(got)
		for ev, err := range dialogs {
			if err == nil {
				_, err = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
			}
			if err == nil {
				got <- ev.Message
			}
			return
		}
	}()
	return got
}

// repoRoot is the module's root directory (the tests run in cmd/attest).
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "go.mod not found above the test's directory")
		dir = parent
	}
}
