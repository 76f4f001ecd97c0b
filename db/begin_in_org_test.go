package db_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/testdb"
)

// TestBeginInOrgSeesOnlyItsOrganization: a transaction handed out by
// BeginInOrg is scoped like InOrg's, from a pool or inside another
// transaction, and one without an organization is refused.
func TestBeginInOrgSeesOnlyItsOrganization(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	ctx := context.Background()
	a, b := createOrg(t, tdb, "begin-a"), createOrg(t, tdb, "begin-b")

	visible := func(tx pgx.Tx) []uuid.UUID {
		rows, err := tx.Query(ctx, `SELECT id FROM organizations ORDER BY id`)
		require.NoError(t, err)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		require.NoError(t, err)
		return ids
	}

	tx, err := db.BeginInOrg(ctx, tdb.Pool, a)
	require.NoError(t, err)
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	require.Equal(t, []uuid.UUID{a}, visible(tx))
	require.NoError(t, tx.Commit(ctx))

	outer, err := tdb.Pool.Begin(ctx)
	require.NoError(t, err)
	defer outer.Rollback(ctx) //nolint:errcheck // the test only reads
	inner, err := db.BeginInOrg(ctx, outer, b)
	require.NoError(t, err)
	require.Equal(t, []uuid.UUID{b}, visible(inner))
	require.NoError(t, inner.Rollback(ctx))

	_, err = db.BeginInOrg(ctx, tdb.Pool, uuid.Nil)
	require.ErrorContains(t, err, "without an organization")
}
