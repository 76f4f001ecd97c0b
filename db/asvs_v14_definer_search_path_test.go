package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/testdb"
)

// ASVS 14.1 (configuration): the SECURITY DEFINER functions cannot be
// steered through the caller's temporary schema, and the application role
// cannot create temporary objects at all.

// Every SECURITY DEFINER function, including any added later, pins its
// search_path with pg_temp named last, so the caller's temporary tables are
// never searched before (or instead of) the real ones.
func TestEveryDefinerFunctionPinsSearchPathWithPgTempLast(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	rows, err := tdb.Pool.Query(context.Background(), `
		SELECT p.oid::regprocedure::text, coalesce(p.proconfig, '{}')
		FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE p.prosecdef AND n.nspname = 'public'`)
	require.NoError(t, err)
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var fn string
		var config []string
		require.NoError(t, rows.Scan(&fn, &config))
		var path string
		for _, c := range config {
			if v, ok := strings.CutPrefix(c, "search_path="); ok {
				path = v
			}
		}
		parts := strings.Split(strings.ReplaceAll(path, " ", ""), ",")
		require.Equalf(t, "pg_temp", parts[len(parts)-1], "%s: search_path %q must end with pg_temp", fn, path)
		require.Containsf(t, parts, "public", "%s: search_path %q", fn, path)
		seen++
	}
	require.NoError(t, rows.Err())
	require.GreaterOrEqual(t, seen, 3, "system_ids, system_counts and ops_org_health at least")
}

// A temporary operators table naming the caller does not make them an
// operator to ops_org_health, and a temporary connections table does not
// feed system_ids. TEMPORARY is granted here on purpose: the pinned path
// must hold even where a database still allows temporary tables.
func TestTemporaryTablesCannotSteerDefinerFunctions(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, tdb.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	_, err = admin.Exec(ctx, `DO $$ BEGIN EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO `+db.AppRole+`', current_database()); END $$`)
	require.NoError(t, err)
	org := createOrg(t, tdb, "acme")

	// Temporary tables belong to one session: use one connection, and
	// throw it away afterwards.
	conn, err := tdb.Pool.Acquire(ctx)
	require.NoError(t, err)
	raw := conn.Hijack()
	defer raw.Close(ctx)

	intruder, bogus := uuid.New(), uuid.New()
	_, err = raw.Exec(ctx, `CREATE TEMP TABLE operators (user_id uuid, created_at timestamptz)`)
	require.NoError(t, err, "the test needs a database that still allows temporary tables")
	// The temporary tables' owner lets the definer read them, as an
	// attacker would.
	_, err = raw.Exec(ctx, `INSERT INTO operators VALUES ($1, now())`, intruder)
	require.NoError(t, err)
	_, err = raw.Exec(ctx, `GRANT SELECT ON operators TO PUBLIC`)
	require.NoError(t, err)
	err = db.AsUser(ctx, raw, intruder, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `SELECT * FROM ops_org_health(now())`)
		return err
	})
	var pgErr *pgconn.PgError
	require.True(t, errors.As(err, &pgErr), "ops_org_health trusted the temporary operators table: %v", err)
	require.Equal(t, "42501", pgErr.Code, "insufficient_privilege: %v", err)
	require.Contains(t, pgErr.Message, "only a platform operator may read it")

	_, err = raw.Exec(ctx, `CREATE TEMP TABLE connections (org_id uuid, id uuid, status text, deleted_at timestamptz, next_sync_at timestamptz)`)
	require.NoError(t, err)
	_, err = raw.Exec(ctx, `INSERT INTO connections VALUES ($1, $2, 'active', NULL, NULL)`, org, bogus)
	require.NoError(t, err)
	_, err = raw.Exec(ctx, `GRANT SELECT ON connections TO PUBLIC`)
	require.NoError(t, err)
	for _, kind := range []string{"due_connection", "live_connection"} {
		rows, err := raw.Query(ctx, `SELECT id FROM system_ids($1, now(), NULL, 100)`, kind)
		require.NoError(t, err)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		require.NoError(t, err)
		require.NotContains(t, ids, bogus, "system_ids(%s) read the temporary connections table", kind)
	}
}

// Migrating revokes TEMPORARY on the database: the application, whatever
// role it switches to or resets to, cannot create a temporary table.
func TestMigrationRevokesTemporaryTablesFromTheApplication(t *testing.T) {
	t.Parallel()
	tdb := testdb.NewFromScratch(t)
	ctx := context.Background()
	conn, err := tdb.Pool.Acquire(ctx)
	require.NoError(t, err)
	raw := conn.Hijack()
	defer raw.Close(ctx)
	for _, as := range []string{"SET ROLE " + db.AppRole, "RESET ROLE"} {
		_, err = raw.Exec(ctx, as)
		require.NoError(t, err)
		_, err = raw.Exec(ctx, `CREATE TEMP TABLE operators (user_id uuid)`)
		var pgErr *pgconn.PgError
		require.Truef(t, errors.As(err, &pgErr), "%s: a temporary table was created: %v", as, err)
		require.Equal(t, "42501", pgErr.Code, "%s: %v", as, err)
	}
}
