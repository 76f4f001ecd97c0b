package web_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// ASVS V12 (files and resources): an uploaded file's type is decided by its
// content against an allowlist, never by its name or the client's header;
// its size is bounded while it streams; its name is sanitised; and nothing
// refused is stored.
func TestV12HostileUploadsAreRefusedAndStoreNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	page := c.Get("/o/acme/documents/new")
	owner := page.Doc(t).Find(`select[name="owner"] option[selected]`).AttrOr("value", "")

	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml", "evil.svg"} {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CompressedSize64: 4, UncompressedSize64: 16 << 30})
		require.NoError(t, err)
		_, err = w.Write([]byte("\xff\xff\xff\xff"))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())

	refused := map[string]string{
		"invoice.pdf": "<!doctype html><html><body><script>fetch('/o/acme/settings')</script></body></html>",
		"logo.png":    `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`,
		"notes.txt":   "text with a \x00 NUL byte",
		"macro.docm":  "PK\x03\x04 not really a zip",
	}
	for name, body := range refused {
		r := upload(t, c, "/o/acme/documents", newDocumentFields(c, owner, "CC1.1"), name, strings.NewReader(body))
		require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode, name)
		require.Contains(t, r.Doc(t).Find(`[data-testid="form-error"]`).Text(), "is not a PDF", name)
	}

	// An Office file holding parts that claim 16 GB each is accepted from
	// its central directory, never expanded.
	r := upload(t, c, "/o/acme/documents", newDocumentFields(c, owner, "CC1.1"), "plan.docx", bytes.NewReader(bomb.Bytes()))
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Equal(t, 1, b.count(t, b.org.ID, `SELECT count(*) FROM documents`))

	// Over the rest of the application's 2 MB body limit but within the
	// document limit: accepted.
	mid := io.MultiReader(strings.NewReader("%PDF-1.7\n"), io.LimitReader(zeros{}, 3<<20))
	r = upload(t, c, "/o/acme/documents", newDocumentFields(c, owner, "CC1.1"), "scan.pdf", mid)
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Equal(t, 2, b.count(t, b.org.ID, `SELECT count(*) FROM documents`))

	// One byte over the 25 MB limit, streamed: refused, nothing stored.
	over := io.MultiReader(strings.NewReader("%PDF-1.7\n"), io.LimitReader(zeros{}, 25<<20-8))
	r = upload(t, c, "/o/acme/documents", newDocumentFields(c, owner, "CC1.1"), "big.pdf", over)
	require.Equal(t, http.StatusRequestEntityTooLarge, r.StatusCode)
	require.Equal(t, 2, b.count(t, b.org.ID, `SELECT count(*) FROM documents`))
	require.Equal(t, 2, b.count(t, b.org.ID, `SELECT count(*) FROM document_revisions`))
}

// zeros reads as endless zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// The upload routes skip the global form parsing, so they check the form
// token themselves, before the file part: missing or forged, the upload is
// refused and nothing is stored.
func TestV12UploadsNeedTheFormTokenBeforeTheFile(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	page := c.Get("/o/acme/documents/new")
	owner := page.Doc(t).Find(`select[name="owner"] option[selected]`).AttrOr("value", "")
	fields := newDocumentFields(c, owner, "CC1.1")
	cases := map[string][]field{
		"missing": fields[1:],
		"forged":  append([]field{{"_csrf", "forged"}}, fields[1:]...),
	}
	for name, f := range cases {
		r := upload(t, c, "/o/acme/documents", f, "policy.pdf", strings.NewReader(policyPDF))
		require.Equal(t, http.StatusForbidden, r.StatusCode, name)
	}
	require.Zero(t, b.count(t, b.org.ID, `SELECT count(*) FROM documents`))
}
