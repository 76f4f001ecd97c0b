// Package static embeds attest's stylesheet, scripts and vendored htmx, and
// serves them under fingerprinted URLs so browsers may cache them forever.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed css js img
var files embed.FS

// Prefix is the URL path the files are served under.
const Prefix = "/static/"

var fingerprints = func() map[string]string {
	m := map[string]string{}
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m[p] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
	return m
}()

// URL returns the fingerprinted URL of an embedded file, e.g.
// URL("css/app.css") = "/static/css/app.css?v=3f2a9c01b4de". It panics on an
// unknown name so a typo fails the first render in tests.
func URL(name string) string {
	fp, ok := fingerprints[name]
	if !ok {
		panic("static: no embedded file " + name)
	}
	return Prefix + name + "?v=" + fp
}

// Handler serves the embedded files. A request carrying the current
// fingerprint may be cached for a year.
func Handler() http.Handler {
	fileServer := http.FileServerFS(files)
	return http.StripPrefix(strings.TrimSuffix(Prefix, "/"), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		fp, ok := fingerprints[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("v") == fp {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		fileServer.ServeHTTP(w, r)
	}))
}
