package coverage

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// TestStatusOfEveryCombination enumerates every combination of up to three
// checks, each pass, fail or unknown on fresh or stale evidence, and checks
// the control status against the rules stated independently here.
func TestStatusOfEveryCombination(t *testing.T) {
	t.Parallel()
	type state struct {
		status string
		fresh  bool
	}
	var states []state
	for _, s := range []string{"pass", "fail", "unknown"} {
		for _, f := range []bool{true, false} {
			states = append(states, state{s, f})
		}
	}
	var combos [][]state
	var build func(prefix []state, n int)
	build = func(prefix []state, n int) {
		combos = append(combos, append([]state(nil), prefix...))
		if n == 0 {
			return
		}
		for _, s := range states {
			build(append(prefix, s), n-1)
		}
	}
	build(nil, 3)
	require.Len(t, combos, 1+6+36+216)

	for _, combo := range combos {
		var checks []CheckInput
		anyFreshFail, anyStale, anyFreshUnknown := false, false, false
		for i, s := range combo {
			checks = append(checks, CheckInput{CheckKey: fmt.Sprint(i), Criteria: []string{"CC6.1"}, Status: s.status, Fresh: s.fresh})
			anyFreshFail = anyFreshFail || (s.fresh && s.status == "fail")
			anyStale = anyStale || !s.fresh
			anyFreshUnknown = anyFreshUnknown || (s.fresh && s.status == "unknown")
		}
		want := Passing
		switch {
		case len(combo) == 0:
			want = NoEvidence
		case anyFreshFail:
			want = Failing
		case anyStale:
			want = StaleState
		case anyFreshUnknown:
			want = Unknown
		}
		r := Compute(Input{Criteria: InScope(nil), Checks: checks})
		var got string
		for _, c := range r.Controls {
			if c.ID == "CC6.1" {
				got = c.Status
			}
		}
		require.Equal(t, want, got, "%+v", combo)
	}
}

func TestCoverageCountsOnlyPassing(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	conn := uuid.New()
	earlier, later := now.Add(-2*time.Hour), now.Add(-time.Hour)
	in := Input{Criteria: InScope([]string{"A"}), Checks: []CheckInput{
		{ConnectionID: conn, CheckKey: "a", Criteria: []string{"CC6.1"}, Status: "pass", Fresh: true, LastSuccess: &earlier},
		{ConnectionID: conn, CheckKey: "b", Criteria: []string{"CC6.1", "CC6.2"}, Status: "pass", Fresh: true, LastSuccess: &later},
		{ConnectionID: conn, CheckKey: "c", Criteria: []string{"CC7.1"}, Status: "unknown", Fresh: true},
		{ConnectionID: conn, CheckKey: "d", Criteria: []string{"CC7.2"}, Status: "pass", Fresh: false},
		{ConnectionID: conn, CheckKey: "e", Criteria: []string{"CC8.1"}, Status: "fail", Fresh: true},
	}}
	r := Compute(in)
	require.Equal(t, 33+3, r.InScope)
	require.Equal(t, map[string]int{Passing: 2, Failing: 1, StaleState: 1, Unknown: 1, NoEvidence: 31, NotApplicable: 0}, r.Counts)
	require.InDelta(t, 2.0/36.0, r.Coverage, 1e-9)
	for _, c := range r.Controls {
		if c.ID == "CC6.1" {
			require.Len(t, c.Checks, 2)
			require.Equal(t, later, *c.NewestEvidence)
		}
	}
}

func TestCatalog(t *testing.T) {
	t.Parallel()
	counts := map[string]int{}
	for _, c := range Catalog {
		counts[c.Category]++
	}
	require.Equal(t, map[string]int{"CC": 33, "A": 3, "C": 2, "PI": 5, "P": 18}, counts)
	require.Len(t, InScope(nil), 33)
	require.Len(t, InScope([]string{"A", "C", "PI", "P"}), len(Catalog))
	c, ok := Find("CC6.2")
	require.True(t, ok)
	require.Equal(t, "CC6", c.Series)
}

func TestFreshness(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	require.Equal(t, Never, FreshnessOf(nil, 6*time.Hour, now))
	require.Equal(t, Fresh, FreshnessOf(ago(6*time.Hour), 6*time.Hour, now))
	require.Equal(t, Stale, FreshnessOf(ago(6*time.Hour+time.Second), 6*time.Hour, now))
}
