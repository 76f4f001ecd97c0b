package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// module is attest's module path.
const module = "github.com/attesthq/attest"

// listed is what go list -json says of one package.
type listed struct {
	ImportPath string
	Dir        string
	Export     string
	Standard   bool
	GoFiles    []string
	CgoFiles   []string
	Imports    []string
	Deps       []string
	ImportMap  map[string]string
}

// own reports whether the package is attest's.
func (p listed) own() bool {
	return p.ImportPath == module || strings.HasPrefix(p.ImportPath, module+"/")
}

// rel is the package's path inside the module ("web", "internal/alert").
func (p listed) rel() string {
	return strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
}

// goList runs go list -json with args over the whole module, from its root.
func goList(t *testing.T, args ...string) []listed {
	t.Helper()
	root, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	require.NoError(t, err, "find the module root")
	cmd := exec.Command("go", append(append([]string{"list", "-json"}, args...), "./...")...)
	cmd.Dir = strings.TrimSpace(string(root))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "go list: %s", stderr.String())
	var pkgs []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			return pkgs
		}
		require.NoError(t, err)
		pkgs = append(pkgs, p)
	}
}

// baseName is the file name of a path.
func baseName(path string) string { return filepath.Base(path) }

// under reports whether rel is dir or inside it.
func under(rel, dir string) bool {
	return rel == dir || strings.HasPrefix(rel, dir+"/")
}

// files are the package's Go files (no tests), with their directory.
func (p listed) files() []string {
	out := make([]string, len(p.GoFiles))
	for i, f := range p.GoFiles {
		out[i] = filepath.Join(p.Dir, f)
	}
	return out
}
