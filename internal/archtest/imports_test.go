package archtest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// importRule forbids packages under From from depending, directly or
// through other packages, on any package under one of To.
type importRule struct {
	From   string
	To     []string
	Reason string
}

// importRules are DESIGN.md's dependency direction.
var importRules = []importRule{
	{From: "views", To: []string{"github.com/labstack/echo/v4", module + "/db"},
		Reason: "views render view models: no HTTP framework, no database or generated queries"},
	{From: "internal", To: []string{module + "/web", module + "/jobs", module + "/views"},
		Reason: "internal packages are the domain: the web layer, the job workers and the templates sit above them"},
	{From: "internal/connector", To: []string{module + "/db"},
		Reason: "a connector returns typed records; the evidence package stores them"},
}

// TestImportsPointDown fails when a package depends on one a rule forbids
// it, naming the rule and the dependency.
func TestImportsPointDown(t *testing.T) {
	t.Parallel()
	var broken []string
	for _, p := range goList(t) {
		if !p.own() {
			continue
		}
		for _, r := range importRules {
			if !under(p.rel(), r.From) {
				continue
			}
			for _, dep := range append(slices.Clone(p.Imports), p.Deps...) {
				for _, to := range r.To {
					if dep == to || len(dep) > len(to) && dep[:len(to)+1] == to+"/" {
						broken = append(broken, fmt.Sprintf("%s depends on %s: %s", p.ImportPath, dep, r.Reason))
					}
				}
			}
		}
	}
	slices.Sort(broken)
	require.Empty(t, slices.Compact(broken))
}
