package export_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/export"
)

// Unzip extracts a ZIP into dir (test helper, shared by this package's tests).
func unzip(t *testing.T, data []byte, dir string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, b, 0o644))
	}
}

func TestBundleVerifiesWithSha256sum(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	b := export.NewBundle(&buf)
	for name, body := range map[string]string{"evidence/entra.user.csv": "a,b\r\n1,2\r\n", "b.txt": "bee\n", "manifest.json": "{}"} {
		w, err := b.Create(name)
		require.NoError(t, err)
		_, err = io.WriteString(w, body)
		require.NoError(t, err)
	}
	for _, bad := range []string{"", "SHA256SUMS", "../x", "/abs", "a\nb", "b.txt", "a/../b"} {
		_, err := b.Create(bad)
		require.Error(t, err, "name %q", bad)
	}
	require.NoError(t, b.Close())

	dir := t.TempDir()
	unzip(t, buf.Bytes(), dir)
	sums, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	require.NoError(t, err)
	require.Regexp(t, `^[0-9a-f]{64}  b\.txt\n[0-9a-f]{64}  evidence/entra\.user\.csv\n[0-9a-f]{64}  manifest\.json\n$`, string(sums))
	cmd := exec.Command("sha256sum", "-c", "SHA256SUMS")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))

	// One changed byte fails the check: the test can fail.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.txt"), []byte("bee!"), 0o644))
	cmd = exec.Command("sha256sum", "-c", "SHA256SUMS")
	cmd.Dir = dir
	out, err = cmd.CombinedOutput()
	require.Error(t, err, string(out))
}
