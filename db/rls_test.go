package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/testdb"
)

var q = dbsqlc.New()

func createOrg(t *testing.T, tdb *testdb.DB, slug string) uuid.UUID {
	t.Helper()
	id := uuid.New()
	err := db.InOrg(context.Background(), tdb.Pool, id, func(tx pgx.Tx) error {
		_, err := q.OrgCreate(context.Background(), tx, dbsqlc.OrgCreateParams{ID: id, Slug: slug, Name: slug})
		if err != nil {
			return err
		}
		return q.AuditHeadCreate(context.Background(), tx, dbsqlc.AuditHeadCreateParams{OrgID: id, Hash: make([]byte, 32)})
	})
	require.NoError(t, err)
	return id
}

// Every table with an org_id column must have RLS enabled and forced, with a
// policy for the application role, so new tables are covered automatically.
func TestEveryTenantTableIsForcedUnderRLS(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	ctx := context.Background()
	rows, err := tdb.Pool.Query(ctx, `
		SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
		       (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant')
		FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
		WHERE c.relkind = 'r'
		  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped)`)
	require.NoError(t, err)
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var name string
		var enabled, forced bool
		var policies int
		require.NoError(t, rows.Scan(&name, &enabled, &forced, &policies))
		require.Truef(t, enabled && forced, "%s: RLS enabled=%t forced=%t", name, enabled, forced)
		require.Equalf(t, 1, policies, "%s: needs exactly one tenant policy", name)
		seen++
	}
	require.NoError(t, rows.Err())
	require.GreaterOrEqual(t, seen, 3)
}

func TestApplicationRoleCannotBypassRLS(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	var role string
	var super, bypass bool
	require.NoError(t, tdb.Pool.QueryRow(context.Background(),
		`SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`).Scan(&role, &super, &bypass))
	require.Equal(t, db.AppRole, role)
	require.False(t, super)
	require.False(t, bypass)
}

func TestSuperuserURLStillRunsUnderRLS(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	pool, err := db.Open(context.Background(), tdb.AdminURL, db.Options{MaxConns: 2})
	require.NoError(t, err)
	defer pool.Close()
	createOrg(t, tdb, "acme")
	var n int
	require.NoError(t, pool.QueryRow(context.Background(), `SELECT count(*) FROM organizations`).Scan(&n))
	require.Zero(t, n, "a superuser DATABASE_URL must still end up under RLS")
}

func TestNoOrganizationSeesNothing(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	ctx := context.Background()
	createOrg(t, tdb, "acme")
	for _, table := range []string{"organizations", "memberships", "audit_log", "audit_heads"} {
		var n int
		require.NoError(t, db.Tx(ctx, tdb.Pool, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n)
		}), table)
		require.Zerof(t, n, "%s visible without an organization", table)
	}
	// Writes without an organization are refused too.
	err := db.Tx(ctx, tdb.Pool, func(tx pgx.Tx) error {
		_, err := q.OrgCreate(ctx, tx, dbsqlc.OrgCreateParams{ID: uuid.New(), Slug: "rogue", Name: "Rogue"})
		return err
	})
	require.ErrorContains(t, err, "row-level security")
}

func TestOrganizationsAreIsolated(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	ctx := context.Background()
	a := createOrg(t, tdb, "alpha")
	b := createOrg(t, tdb, "beta")

	inA := func(fn func(tx pgx.Tx) error) error { return db.InOrg(ctx, tdb.Pool, a, fn) }

	t.Run("read", func(t *testing.T) {
		require.NoError(t, inA(func(tx pgx.Tx) error {
			_, err := q.OrgGet(ctx, tx, b)
			require.ErrorIs(t, err, pgx.ErrNoRows)
			var n int
			require.NoError(t, tx.QueryRow(ctx, `SELECT count(*) FROM audit_heads`).Scan(&n))
			require.Equal(t, 1, n)
			return nil
		}))
	})
	t.Run("insert", func(t *testing.T) {
		err := inA(func(tx pgx.Tx) error {
			return q.AuditHeadCreate(ctx, tx, dbsqlc.AuditHeadCreateParams{OrgID: b, Hash: make([]byte, 32)})
		})
		require.ErrorContains(t, err, "row-level security")
	})
	t.Run("update", func(t *testing.T) {
		require.NoError(t, inA(func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, `UPDATE organizations SET name = 'stolen' WHERE id = $1`, b)
			require.NoError(t, err)
			require.Zero(t, tag.RowsAffected())
			return nil
		}))
		// Moving a row of A into B is refused by WITH CHECK.
		err := inA(func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE audit_heads SET org_id = $1 WHERE org_id = $2`, b, a)
			return err
		})
		require.ErrorContains(t, err, "row-level security")
	})
}

func TestSystemIDsIsTheOnlyDoorAcrossTenants(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	ctx := context.Background()
	a := createOrg(t, tdb, "alpha")
	b := createOrg(t, tdb, "beta")
	var ids []uuid.UUID
	require.NoError(t, db.Tx(ctx, tdb.Pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id FROM system_ids('organization', now(), NULL, 100)`)
		if err != nil {
			return err
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		return err
	}))
	require.ElementsMatch(t, []uuid.UUID{a, b}, ids)

	// The application role cannot become the reader role or create its own door.
	err := db.Tx(ctx, tdb.Pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `SET LOCAL ROLE attest_sysread`)
		return err
	})
	require.ErrorContains(t, err, "permission denied")
	err = db.Tx(ctx, tdb.Pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `CREATE FUNCTION leak() RETURNS SETOF organizations LANGUAGE sql AS 'SELECT * FROM organizations'`)
		return err
	})
	require.ErrorContains(t, err, "permission denied")
}

func TestDeleteCannotReachAnotherOrganization(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	ctx := context.Background()
	a := createOrg(t, tdb, "alpha")
	b := createOrg(t, tdb, "beta")
	// A connection and an OAuth flow in B.
	var connID uuid.UUID
	require.NoError(t, db.InOrg(ctx, tdb.Pool, b, func(tx pgx.Tx) error {
		user, err := q.UserCreate(ctx, tx, dbsqlc.UserCreateParams{Email: "u@beta.test"})
		if err != nil {
			return err
		}
		conn, err := q.ConnectionCreate(ctx, tx, dbsqlc.ConnectionCreateParams{OrgID: b, Connector: "entra", DisplayName: "B",
			Settings: []byte(`{}`), IdentityKey: "k", CreatedAt: time.Now(), StaleAfterSeconds: 6 * 3600})
		if err != nil {
			return err
		}
		connID = conn.ID
		return q.OAuthFlowCreate(ctx, tx, dbsqlc.OAuthFlowCreateParams{StateHash: make([]byte, 32), OrgID: b, ConnectionID: conn.ID,
			UserID: user.ID, SessionHash: make([]byte, 32), Purpose: "connect", RedirectUri: "x", CreatedAt: time.Now(), ExpiresAt: time.Now()})
	}))
	require.NoError(t, db.InOrg(ctx, tdb.Pool, a, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM oauth_flows`)
		require.NoError(t, err)
		require.Zero(t, tag.RowsAffected())
		tag, err = tx.Exec(ctx, `UPDATE connections SET display_name = 'stolen' WHERE id = $1`, connID)
		require.NoError(t, err)
		require.Zero(t, tag.RowsAffected())
		return nil
	}))
	var n int
	require.NoError(t, db.InOrg(ctx, tdb.Pool, b, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM oauth_flows`).Scan(&n)
	}))
	require.Equal(t, 1, n)
}
