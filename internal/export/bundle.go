package export

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"path"
	"sort"
	"strings"
)

// SumsName is the checksum manifest every bundle ends with.
const SumsName = "SHA256SUMS"

// Bundle is a ZIP archive whose files are hashed with SHA-256 as they are
// written; Close adds SHA256SUMS in sha256sum's own format, so that
//
//	unzip bundle.zip -d d && cd d && sha256sum -c SHA256SUMS
//
// verifies every file.
type Bundle struct {
	zw    *zip.Writer
	files []*bundleFile
	names map[string]bool
}

type bundleFile struct {
	name string
	h    hash.Hash
	size int64
}

func (f *bundleFile) Write(p []byte) (int, error) {
	f.h.Write(p)
	f.size += int64(len(p))
	return len(p), nil
}

// File is one file of a bundle and its checksum.
type File struct {
	Name   string
	SHA256 string
	Size   int64
}

// NewBundle starts a bundle written to w.
func NewBundle(w io.Writer) *Bundle {
	return &Bundle{zw: zip.NewWriter(w), names: map[string]bool{}}
}

// Create adds a file; it is written until the next Create or Close. Names
// are relative slash-separated paths, each used once.
func (b *Bundle) Create(name string) (io.Writer, error) {
	if name == "" || name == SumsName || strings.ContainsAny(name, "\\\n\r") || path.IsAbs(name) ||
		path.Clean(name) != name || strings.HasPrefix(name, "../") || b.names[name] {
		return nil, fmt.Errorf("export: bundle file name %q is not allowed", name)
	}
	zf, err := b.zw.Create(name)
	if err != nil {
		return nil, fmt.Errorf("export: add %s: %w", name, err)
	}
	f := &bundleFile{name: name, h: sha256.New()}
	b.names[name] = true
	b.files = append(b.files, f)
	return io.MultiWriter(zf, f), nil
}

// Files lists the files added so far, in order, with their checksums. The
// last one is complete only once nothing more is written to it.
func (b *Bundle) Files() []File {
	out := make([]File, len(b.files))
	for i, f := range b.files {
		out[i] = File{Name: f.name, SHA256: hex.EncodeToString(f.h.Sum(nil)), Size: f.size}
	}
	return out
}

// Close writes SHA256SUMS ("<hex>  <name>\n" per file, sorted by name) and
// finishes the archive. It does not close the underlying writer.
func (b *Bundle) Close() error {
	files := b.Files()
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	var sums strings.Builder
	for _, f := range files {
		sums.WriteString(f.SHA256 + "  " + f.Name + "\n")
	}
	w, err := b.zw.Create(SumsName)
	if err != nil {
		return fmt.Errorf("export: add %s: %w", SumsName, err)
	}
	if _, err := io.WriteString(w, sums.String()); err != nil {
		return fmt.Errorf("export: write %s: %w", SumsName, err)
	}
	if err := b.zw.Close(); err != nil {
		return fmt.Errorf("export: finish zip: %w", err)
	}
	return nil
}
