package db_test

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/testdb"
)

// TestMigration00018MovesInactiveDaysIntoCheckParams: a connection's
// inactivity threshold survives the move from its own column into the
// parameters of the check that declares it, and back down.
func TestMigration00018MovesInactiveDaysIntoCheckParams(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	ctx := context.Background()
	sqlDB, err := sql.Open("pgx", tdb.URL)
	require.NoError(t, err)
	t.Cleanup(func() { _ = sqlDB.Close() })
	provider, err := goose.NewProvider(goose.DialectPostgres, sqlDB, os.DirFS("migrations"))
	require.NoError(t, err)
	latest, err := provider.GetDBVersion(ctx)
	require.NoError(t, err)
	_, err = provider.DownTo(ctx, 17)
	require.NoError(t, err)

	admin, err := pgx.Connect(ctx, tdb.AdminURL)
	require.NoError(t, err)
	t.Cleanup(func() { _ = admin.Close(context.Background()) })
	org, changed, unchanged := uuid.New(), uuid.New(), uuid.New()
	_, err = admin.Exec(ctx, `INSERT INTO organizations (id, slug, name) VALUES ($1, $2, 'Acme')`, org, "acme-"+org.String()[:8])
	require.NoError(t, err)
	for id, days := range map[uuid.UUID]int{changed: 120, unchanged: 90} {
		_, err = admin.Exec(ctx, `INSERT INTO connections (id, org_id, connector, display_name, settings, identity_key, status, created_at, inactive_days)
			VALUES ($1, $2, 'entra', 'Tenant', '{}', $3, 'pending', now(), $4)`, id, org, id.String(), days)
		require.NoError(t, err)
	}
	user := uuid.New()
	_, err = admin.Exec(ctx, `INSERT INTO users (id, email) VALUES ($1, $2)`, user, "u-"+user.String()[:8]+"@acme.test")
	require.NoError(t, err)
	_, err = admin.Exec(ctx, `INSERT INTO oauth_flows (state_hash, org_id, connection_id, user_id, session_hash, purpose, redirect_uri, created_at, expires_at)
		VALUES (sha256('state'), $1, $2, $3, sha256('session'), 'admin_consent', 'https://x.test/cb', now(), now())`, org, changed, user)
	require.NoError(t, err)

	_, err = provider.UpTo(ctx, 18)
	require.NoError(t, err)
	params := func(id uuid.UUID) string {
		var raw string
		require.NoError(t, admin.QueryRow(ctx, `SELECT check_params::text FROM connections WHERE id = $1`, id).Scan(&raw))
		return raw
	}
	require.Equal(t, `{"inactive_days": 120}`, params(changed))
	require.Equal(t, `{}`, params(unchanged), "the default stays implicit")
	rows, err := admin.Query(ctx, `SELECT purpose FROM oauth_flows`)
	require.NoError(t, err)
	purposes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, []string{"consent"}, purposes)

	_, err = provider.DownTo(ctx, 17)
	require.NoError(t, err)
	var days int
	require.NoError(t, admin.QueryRow(ctx, `SELECT inactive_days FROM connections WHERE id = $1`, changed).Scan(&days))
	require.Equal(t, 120, days)
	_, err = provider.UpTo(ctx, latest)
	require.NoError(t, err)
}
