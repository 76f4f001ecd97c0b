package orgview_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/internal/orgview"
	"github.com/attesthq/attest/internal/scope"
	"github.com/attesthq/attest/internal/synctest"
)

// Two replicas each keep a view: each serves its own while the version
// holds, and both read afresh once a change through either moves it.
func TestReplicasServeTheirViewUntilTheVersionMoves(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	_, err := e.Sync(t, e.Connect(t))
	require.NoError(t, err)
	ctx, now := context.Background(), e.Clock.Now()
	a := &orgview.Cache{Pool: e.DB.Pool, Registry: e.Registry}
	b := &orgview.Cache{Pool: e.DB.Pool, Registry: e.Registry}

	v1 := version(t, e.DB.Pool, e.Org.ID)
	first, err := a.Get(ctx, e.Org.ID, v1, now)
	require.NoError(t, err)
	require.Equal(t, v1, first.Version)
	again, err := a.Get(ctx, e.Org.ID, v1, now)
	require.NoError(t, err)
	require.Same(t, first, again)
	require.EqualValues(t, 1, a.Misses())

	scopes := &scope.Service{Pool: e.DB.Pool, Clock: e.Clock, Registry: e.Registry}
	require.NoError(t, scopes.MarkNotApplicable(ctx, e.Org.ID, audit.SystemActor("test"), e.Owner.ID, "CC9.2", "We hold no vendor relationships at all."))
	v2 := version(t, e.DB.Pool, e.Org.ID)
	require.Greater(t, v2, v1)
	for _, replica := range []*orgview.Cache{a, b} {
		got, err := replica.Get(ctx, e.Org.ID, v2, now)
		require.NoError(t, err)
		require.Equal(t, v2, got.Version)
		require.Equal(t, "CC9.2", got.Coverage.Scope[0].Criterion)
	}
	require.EqualValues(t, 2, a.Misses())
	require.EqualValues(t, 1, b.Misses())

	// A request admitted before the change may be served the newer view.
	late, err := a.Get(ctx, e.Org.ID, v1, now)
	require.NoError(t, err)
	require.Equal(t, v2, late.Version)
	require.EqualValues(t, 2, a.Misses())

	// The next day's chart window is read afresh.
	next, err := a.Get(ctx, e.Org.ID, v2, now.Add(24*time.Hour))
	require.NoError(t, err)
	require.True(t, next.Day.After(late.Day))
	require.EqualValues(t, 3, a.Misses())
}

// A view keeps what was stored and is judged at the request's time: past
// the stale threshold, with no change to any row, the coverage it gives is
// the coverage a fresh read gives, stale.
func TestAKeptViewIsJudgedAtTheRequestsTime(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	_, err := e.Sync(t, e.Connect(t))
	require.NoError(t, err)
	ctx := context.Background()
	cache := &orgview.Cache{Pool: e.DB.Pool, Registry: e.Registry}
	v := version(t, e.DB.Pool, e.Org.ID)
	criteria := coverage.OrgScope(e.Org)
	view, err := cache.Get(ctx, e.Org.ID, v, e.Clock.Now())
	require.NoError(t, err)
	for _, later := range []time.Duration{time.Hour, 6 * time.Hour, 6*time.Hour + time.Second, 30 * time.Hour} {
		at := e.Clock.Now().Add(later)
		kept := coverage.Compute(view.Coverage.Input(e.Registry, at, criteria))
		var fresh coverage.Report
		require.NoError(t, db.InOrg(ctx, e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
			in, err := coverage.Load(ctx, tx, e.Registry, at, criteria)
			fresh = coverage.Compute(in)
			return err
		}))
		require.Equal(t, fresh, kept, "at +%s", later)
		require.Equal(t, later > 6*time.Hour, kept.Counts[coverage.StaleState] > 0, "at +%s", later)
	}
	require.Equal(t, v, version(t, e.DB.Pool, e.Org.ID), "nothing was written")
}
