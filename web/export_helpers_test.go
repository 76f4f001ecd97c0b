package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
)

// parseCSV reads a downloaded CSV: the header, then the records.
func parseCSV(t *testing.T, body []byte) ([]string, [][]string) {
	t.Helper()
	all, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, all, "a header row")
	return all[0], all[1:]
}

// unzipTo extracts a downloaded ZIP into dir and lists its file names.
func unzipTo(t *testing.T, body []byte, dir string) []string {
	t.Helper()
	return eachZipFile(t, body, func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, data, 0o644))
	})
}

// eachZipFile calls fn with each file of a downloaded ZIP, in the archive's
// order, and lists their names.
func eachZipFile(t *testing.T, body []byte, fn func(name string, data []byte)) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		fn(f.Name, data)
		names = append(names, f.Name)
	}
	return names
}

// sha256sumCheck runs the real `sha256sum -c SHA256SUMS` in dir.
func sha256sumCheck(dir string) (string, error) {
	cmd := exec.Command("sha256sum", "-c", "SHA256SUMS")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// lastExport is the details of the organization's latest evidence.export.
func (b *bundle) lastExport(t *testing.T) map[string]any {
	t.Helper()
	var raw []byte
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT details FROM audit_log WHERE action = 'evidence.export' ORDER BY seq DESC LIMIT 1`).Scan(&raw)
	}))
	var d map[string]any
	require.NoError(t, json.Unmarshal(raw, &d))
	return d
}

// countEvidence counts the organization's records matching a condition.
func (b *bundle) countEvidence(t *testing.T, where string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM evidence WHERE `+where, args...).Scan(&n)
	}))
	return n
}
