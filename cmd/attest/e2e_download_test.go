package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// download clicks a download link and waits for the browser to save the
// file; it returns the file name the server suggested and the bytes saved.
func (tb *tab) download(sel string) (string, []byte) {
	tb.t.Helper()
	dir := tb.t.TempDir()
	ctx, cancel := tb.step()
	defer cancel()
	tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true),
			BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
		})
		return err
	}))
	begins := chromedp.BrowserEvents(ctx, browser.DownloadWillBegin)
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	tb.do(chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))

	var began browser.EventDownloadWillBegin
	for ev, err := range begins {
		require.NoError(tb.t, err, "no download began after clicking %s", sel)
		began = ev
		break
	}
	for ev, err := range progress {
		require.NoError(tb.t, err, "the download of %s did not finish", began.SuggestedFilename)
		if ev.GUID != began.GUID || ev.State == browser.DownloadProgressStateInProgress {
			continue
		}
		require.Equal(tb.t, browser.DownloadProgressStateCompleted, ev.State, began.SuggestedFilename)
		break
	}
	body, err := os.ReadFile(filepath.Join(dir, began.GUID)) // allowAndName saves it under its GUID
	require.NoError(tb.t, err)
	return began.SuggestedFilename, body
}

// parseCSV reads a downloaded CSV into its header and records.
func parseCSV(t *testing.T, body []byte) ([]string, [][]string) {
	t.Helper()
	all, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, all, "a header row")
	return all[0], all[1:]
}

// unzip reads a downloaded ZIP into a map of file name to contents.
func unzip(t *testing.T, body []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	require.NoError(t, err)
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		files[f.Name] = b
	}
	return files
}
