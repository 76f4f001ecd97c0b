package orgview_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/internal/orgview"
	"github.com/attesthq/attest/internal/synctest"
)

// A value derived from a view is kept only while no freshness judgement on
// its rows changes: at every instant around the stale threshold, in either
// direction of time, it is exactly what computing it afresh gives, and it
// is computed again only when an edge is crossed.
func TestDerivedValuesAreExactAtEveryInstant(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	_, err := e.Sync(t, e.Connect(t))
	require.NoError(t, err)
	synced := e.Clock.Now()
	cache := &orgview.Cache{Pool: e.DB.Pool, Registry: e.Registry}
	view, err := cache.Get(context.Background(), e.Org.ID, version(t, e.DB.Pool, e.Org.ID), synced)
	require.NoError(t, err)
	criteria := coverage.OrgScope(e.Org)
	fresh := func(at time.Time) coverage.Report {
		return coverage.Compute(view.Coverage.Input(e.Registry, at, criteria))
	}
	computed := 0
	derive := func(at time.Time) coverage.Report {
		return view.Derived("coverage", at, func() any { computed++; return fresh(at) }).(coverage.Report)
	}
	edge := synced.Add(6 * time.Hour) // the default stale threshold: fresh through it
	steps := []struct {
		at       time.Time
		computed int
	}{
		{synced, 1},
		{synced.Add(time.Hour), 1},
		{edge, 1},
		{edge.Add(time.Nanosecond), 2},
		{edge.Add(time.Hour), 2},
		{edge, 3}, // back across the edge
		{synced.Add(time.Minute), 3},
	}
	for _, s := range steps {
		require.Equal(t, fresh(s.at), derive(s.at), "at %s", s.at.Sub(synced))
		require.Equal(t, s.computed, computed, "computations by %s", s.at.Sub(synced))
	}
	require.Zero(t, derive(edge).Counts[coverage.StaleState])
	require.Positive(t, derive(edge.Add(time.Nanosecond)).Counts[coverage.StaleState])
}
