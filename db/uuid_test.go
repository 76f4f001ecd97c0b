package db_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/testdb"
)

func TestUUIDsRoundTripInBinary(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	ctx := context.Background()
	id := uuid.New()

	var back uuid.UUID
	var text string
	require.NoError(t, tdb.Pool.QueryRow(ctx, `SELECT $1::uuid, $1::uuid::text`, id).Scan(&back, &text))
	require.Equal(t, id, back)
	require.Equal(t, id.String(), text)

	var none, some *uuid.UUID
	require.NoError(t, tdb.Pool.QueryRow(ctx, `SELECT NULL::uuid, $1::uuid`, id).Scan(&none, &some))
	require.Nil(t, none)
	require.Equal(t, id, *some)

	ids := []uuid.UUID{uuid.New(), id}
	var arr []uuid.UUID
	require.NoError(t, tdb.Pool.QueryRow(ctx, `SELECT $1::uuid[]`, ids).Scan(&arr))
	require.Equal(t, ids, arr)

	err := tdb.Pool.QueryRow(ctx, `SELECT NULL::uuid`).Scan(&back)
	require.ErrorContains(t, err, "cannot scan NULL")
}
