package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// An approved assessment's ZIP carries its document files under documents/,
// each in SHA256SUMS and the manifest with the hash recorded at upload, and
// sha256sum -c verifies them offline. The revision's evidence row, whose
// fingerprint is in the root hash's input, names the same hash.
func TestAssessmentZIPCarriesItsDocumentFiles(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.owner(t)
	b.addDocument(t, owner, "CC1.1")
	path := b.createAssessment(t, owner, "FY26 Type II")
	require.Equal(t, http.StatusSeeOther, owner.Post(path+"/submit", nil).StatusCode)
	require.Equal(t, http.StatusSeeOther, owner.Post(path+"/approve", nil).StatusCode)

	auditor := b.client(t)
	auditor.Login(auditorEmail, auditPassword)
	res := auditor.Get(path + "/export.zip")
	require.Equal(t, http.StatusOK, res.StatusCode, res.Text())
	dir := t.TempDir()
	names := unzipTo(t, res.Body, dir)
	i := slices.IndexFunc(names, func(n string) bool { return strings.HasPrefix(n, "documents/") })
	require.GreaterOrEqual(t, i, 0, "a documents/ file in %v", names)
	file := names[i]
	require.True(t, strings.HasSuffix(file, "/1-policy.pdf"), file)
	body, err := os.ReadFile(filepath.Join(dir, file))
	require.NoError(t, err)
	require.Equal(t, policyPDF, string(body))
	out, err := sha256sumCheck(dir)
	require.NoError(t, err, out)
	require.Contains(t, out, file+": OK")

	sum := sha256.Sum256([]byte(policyPDF))
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	require.NoError(t, err)
	var m struct {
		Files []struct{ Name, SHA256 string }
	}
	require.NoError(t, json.Unmarshal(raw, &m))
	require.True(t, slices.ContainsFunc(m.Files, func(f struct{ Name, SHA256 string }) bool {
		return f.Name == file && f.SHA256 == hex.EncodeToString(sum[:])
	}), "the manifest lists %s with its hash", file)
	csv, err := os.ReadFile(filepath.Join(dir, "evidence", "document.revision.csv"))
	require.NoError(t, err)
	require.Contains(t, string(csv), hex.EncodeToString(sum[:]), "the evidence record names the file's hash")
}
