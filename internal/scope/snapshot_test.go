package scope_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestScopeChangeRetakesTheDaySnapshot: marking a criterion not applicable,
// and back, retakes the day's coverage snapshot at once, so the history chart
// and snapshot table follow the denominator without waiting for a sync.
func TestScopeChangeRetakesTheDaySnapshot(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	inScope := func() []string {
		return f.rows(t, `SELECT day::text || ' ' || in_scope::text FROM coverage_snapshots`)
	}
	require.Empty(t, inScope())

	require.NoError(t, f.svc.MarkNotApplicable(ctx, f.org, f.actor, f.owner, "CC9.2", "We have no vendors with access to the system."))
	require.Equal(t, []string{"2026-11-02 32"}, inScope())

	changed, err := f.svc.MarkApplicable(ctx, f.org, f.actor, "CC9.2")
	require.NoError(t, err)
	require.True(t, changed)
	require.Equal(t, []string{"2026-11-02 33"}, inScope())
}
