package db_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/testdb"
)

// TestConnectionHealthInSQLIsTheGoRule: the database's connection_health,
// which the operators' console and the metrics count through, answers as
// connection.HealthFacts.At over every state and both edges of the stale
// threshold.
func TestConnectionHealthInSQLIsTheGoRule(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) *time.Time { at := now.Add(-d); return &at }
	const stale = 6 * time.Hour
	cases := []connection.HealthFacts{
		{Status: connector.StatusPending},
		{Status: connector.StatusRevoked, DeletedAt: ago(time.Minute), ConnectedAt: ago(time.Hour), LastSuccessAt: ago(time.Minute)},
		{Status: connector.StatusNeedsReauth, ConnectedAt: ago(time.Hour), LastSuccessAt: ago(time.Minute), Failures: 2},
		{Status: connector.StatusActive, ConnectedAt: ago(time.Hour), LastSuccessAt: ago(time.Minute), Failures: 1},
		{Status: connector.StatusActive, ConnectedAt: ago(time.Hour)},
		{Status: connector.StatusActive, ConnectedAt: ago(stale)},
		{Status: connector.StatusActive, ConnectedAt: ago(stale + time.Second)},
		{Status: connector.StatusActive},
		{Status: connector.StatusActive, ConnectedAt: ago(48 * time.Hour), LastSuccessAt: ago(time.Minute)},
		{Status: connector.StatusActive, ConnectedAt: ago(48 * time.Hour), LastSuccessAt: ago(stale)},
		{Status: connector.StatusActive, ConnectedAt: ago(48 * time.Hour), LastSuccessAt: ago(stale + time.Second)},
	}
	seen := map[connection.Health]bool{}
	for _, f := range cases {
		f.StaleAfter = stale
		var got *string
		require.NoError(t, tdb.Pool.QueryRow(ctx, `SELECT connection_health($1, $2, $3, $4, $5, $6, $7)`,
			f.Status, f.DeletedAt, f.ConnectedAt, f.LastSuccessAt, f.Failures, int32(f.StaleAfter/time.Second), now).Scan(&got))
		want := f.At(now)
		seen[want] = true
		name := fmt.Sprintf("%+v", f)
		if want == connection.HealthNone {
			require.Nil(t, got, name)
			continue
		}
		require.NotNil(t, got, name)
		require.Equal(t, string(want), *got, name)
	}
	for _, h := range connection.Healths {
		require.Truef(t, seen[h], "a case for %s", h)
	}
}
