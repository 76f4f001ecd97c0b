package document_test

import (
	"archive/zip"
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/document"
)

// ooxml builds a minimal Office package with the given parts; each part's
// content is raw bytes stored as its compressed data, so the package can
// claim sizes and carry data that was never really deflated.
func ooxml(t *testing.T, parts map[string]string, claimed uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate,
			CompressedSize64: uint64(len(body)), UncompressedSize64: claimed})
		require.NoError(t, err)
		_, err = w.Write([]byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func sniff(t *testing.T, content []byte, name string) (string, error) {
	t.Helper()
	return document.Sniff(bytes.NewReader(content), int64(len(content)), name)
}

func TestSniffAcceptsTheAllowlistByContent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, file, want string
		content          []byte
	}{
		{"pdf", "x.bin", document.TypePDF, []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")},
		{"png", "x.pdf", document.TypePNG, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")},
		{"jpeg", "x", document.TypeJPEG, []byte("\xff\xd8\xff\xe0\x00\x10JFIF")},
		{"text", "policy.txt", document.TypeText, []byte("Access review policy\n\tEvery quarter.\n")},
		{"csv", "users.csv", document.TypeCSV, []byte("name,role\nada,admin\n")},
		{"markdown", "README.md", document.TypeMarkdown, []byte("# Incident response\n\n- step one\n")},
		{"docx", "plan.docx", document.TypeDOCX, ooxml(t, map[string]string{"[Content_Types].xml": "x", "word/document.xml": "x"}, 1)},
		{"xlsx", "risk.bin", document.TypeXLSX, ooxml(t, map[string]string{"[Content_Types].xml": "x", "xl/workbook.xml": "x"}, 1)},
	}
	for _, c := range cases {
		got, err := sniff(t, c.content, c.file)
		require.NoError(t, err, c.name)
		require.Equal(t, c.want, got, c.name)
	}
}

func TestSniffRefusesMarkupBinariesAndPlainZips(t *testing.T) {
	t.Parallel()
	refused := map[string][]byte{
		"html renamed .pdf":   []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"),
		"svg":                 []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`),
		"svg after a bom":     []byte("\xef\xbb\xbf  \n<svg onload=alert(1)>"),
		"executable":          []byte("MZ\x90\x00\x03\x00\x00\x00"),
		"nul bytes":           []byte("looks like text\x00but is not"),
		"invalid utf-8":       []byte("caf\xe9"),
		"empty":               {},
		"zip without types":   ooxml(t, map[string]string{"word/document.xml": "x"}, 1),
		"zip of other things": ooxml(t, map[string]string{"[Content_Types].xml": "x", "payload.exe": "x"}, 1),
	}
	for name, content := range refused {
		_, err := sniff(t, content, "report.pdf")
		require.ErrorIs(t, err, document.ErrType, name)
	}
}

// A zip bomb inside an Office file: parts that claim gigabytes and whose
// data is not even valid deflate. Sniffing reads the central directory only,
// so it answers at once without expanding (or failing on) any part; a
// directory of thousands of entries is refused before it is read.
func TestSniffNeverExpandsAnOfficeFile(t *testing.T) {
	t.Parallel()
	bomb := ooxml(t, map[string]string{"[Content_Types].xml": "\xff\xff not deflate", "word/document.xml": "\x00\x01 not deflate"}, 8<<30)
	got, err := sniff(t, bomb, "bomb.docx")
	require.NoError(t, err)
	require.Equal(t, document.TypeDOCX, got)

	parts := map[string]string{"[Content_Types].xml": "x"}
	for i := range 5001 {
		parts["word/part"+strconv.Itoa(i)+".xml"] = "x"
	}
	_, err = sniff(t, ooxml(t, parts, 1), "many.docx")
	require.ErrorIs(t, err, document.ErrType)
}

func TestSafeNameKeepsOnlyASafeBaseNameWithTheSniffedExtension(t *testing.T) {
	t.Parallel()
	cases := map[string][2]string{
		"../../etc/passwd":               {document.TypeText, "passwd.txt"},
		`C:\Users\ada\policy.pdf`:        {document.TypePDF, "policy.pdf"},
		"report.html":                    {document.TypePDF, "report.pdf"},
		"a\"b;c\r\nd.png":                {document.TypePNG, "a_b_c__d.png"},
		".hidden":                        {document.TypeText, "document.txt"},
		"":                               {document.TypeJPEG, "document.jpg"},
		"Zugangsrichtlinie (v2).md":      {document.TypeMarkdown, "Zugangsrichtlinie _v2_.md"},
		strings.Repeat("x", 300) + ".md": {document.TypeMarkdown, strings.Repeat("x", 120) + ".md"},
	}
	for in, c := range cases {
		require.Equal(t, c[1], document.SafeName(in, c[0]), in)
	}
}
