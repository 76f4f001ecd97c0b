package connector_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// providerWords are the words of the providers (Microsoft's, GitHub's) that
// generic code must not speak: they belong in internal/connector/entra and
// internal/connector/github, the simulators and the connectors'
// definitions.
var providerWords = regexp.MustCompile(`Microsoft|Entra|AADSTS|Graph|[Tt]enant|GitHub|githubsim|Dependabot`)

// genericSources are the platform's files: its packages, the web handlers
// and every page template.
var genericSources = []string{
	".", "pace", "../connection", "../syncer", "../alert", "../coverage", "../evidence",
	"../metrics", "../../web", "../../views/components", "../../views/layout",
	"../../views/pages/alerts", "../../views/pages/assessments", "../../views/pages/audit", "../../views/pages/auditors", "../../views/pages/auth", "../../views/pages/checks", "../../views/pages/controls", "../../views/pages/dashboard", "../../views/pages/documents", "../../views/pages/errors", "../../views/pages/evidence", "../../views/pages/integrations", "../../views/pages/members", "../../views/pages/ops", "../../views/pages/settings",
}

// TestGenericCodeNamesNoProvider: no provider's wording in the generic
// packages' sources (code, comments and templates; tests and generated
// files aside), so a second connector reads as naturally as the first.
func TestGenericCodeNamesNoProvider(t *testing.T) {
	t.Parallel()
	var files []string
	for _, src := range genericSources {
		info, err := os.Stat(src)
		require.NoError(t, err)
		if !info.IsDir() {
			files = append(files, src)
			continue
		}
		entries, err := os.ReadDir(src)
		require.NoError(t, err)
		for _, e := range entries {
			files = append(files, filepath.Join(src, e.Name()))
		}
	}
	checked := 0
	for _, f := range files {
		name := filepath.Base(f)
		generic := (strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".templ")) &&
			!strings.HasSuffix(name, "_test.go") && !strings.HasSuffix(name, "_templ.go")
		if !generic {
			continue
		}
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		checked++
		for i, line := range strings.Split(string(raw), "\n") {
			if w := providerWords.FindString(line); w != "" {
				t.Errorf("%s:%d names %q: %s", f, i+1, w, strings.TrimSpace(line))
			}
		}
	}
	require.Greater(t, checked, 30, "the sources were found")
}
