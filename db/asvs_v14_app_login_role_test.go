package db_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/testdb"
)

// ASVS 14.1 / 1.4 (least privilege): the application logs in as a role of
// its own that owns nothing, so nothing run through its connections can
// become the schema owner.

// loginAs creates a login role for the test (granted db.AppRole and extra)
// and returns tdb's URL for it; the role is dropped when the test ends.
func loginAs(t *testing.T, tdb *testdb.DB, attrs string, extra ...string) string {
	t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, tdb.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	name := "attest_t_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:12]
	in := strings.Join(append([]string{db.AppRole}, extra...), ", ")
	_, err = admin.Exec(ctx, `CREATE ROLE `+name+` LOGIN PASSWORD 'pw' `+attrs+` IN ROLE `+in)
	require.NoError(t, err)
	t.Cleanup(func() {
		admin, err := pgx.Connect(context.Background(), tdb.AdminURL)
		if err == nil {
			_, _ = admin.Exec(context.Background(), `DROP ROLE `+name)
			_ = admin.Close(context.Background())
		}
	})
	u, err := url.Parse(tdb.AppURL)
	require.NoError(t, err)
	u.User = url.UserPassword(name, "pw")
	return u.String()
}

func TestStartupRefusesAnApplicationLoginRoleThatCouldLeaveRLS(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	owner, err := url.Parse(tdb.URL)
	require.NoError(t, err)
	cases := map[string]struct {
		url  func() string
		want string
	}{
		"superuser":        {func() string { return tdb.AdminURL }, "is a superuser"},
		"bypassrls":        {func() string { return loginAs(t, tdb, "BYPASSRLS") }, "has BYPASSRLS"},
		"createrole":       {func() string { return loginAs(t, tdb, "CREATEROLE") }, "has CREATEROLE"},
		"schema owner":     {func() string { return tdb.URL }, "owns tables of the schema"},
		"owner's member":   {func() string { return loginAs(t, tdb, "", owner.User.Username()) }, "owns tables of the schema"},
		"sysread's member": {func() string { return loginAs(t, tdb, "", db.SysreadRole) }, "is a member of " + db.SysreadRole},
	}
	for name, tc := range cases {
		pool, err := db.Open(context.Background(), tdb.URL, db.Options{AppURL: tc.url(), MaxConns: 2})
		if pool != nil {
			pool.Close()
		}
		require.ErrorContainsf(t, err, tc.want, "%s", name)
		require.ErrorContainsf(t, err, "ATTEST_APP_DATABASE_URL", "%s: the error names the variable", name)
	}
	// The role the tests log in as is accepted.
	pool, err := db.Open(context.Background(), tdb.URL, db.Options{AppURL: tdb.AppURL, MaxConns: 2})
	require.NoError(t, err)
	pool.Close()
}

// RESET ROLE on an application connection returns to the login role, which
// owns nothing: row-level security still applies and no owner right comes
// back (with the owner's URL and SET ROLE, RESET ROLE was the owner).
func TestResetRoleOnAnApplicationConnectionGainsNoOwnerRights(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	ctx := context.Background()
	createOrg(t, tdb, "acme")
	owner, err := url.Parse(tdb.URL)
	require.NoError(t, err)
	conn, err := tdb.Pool.Acquire(ctx)
	require.NoError(t, err)
	raw := conn.Hijack()
	defer raw.Close(ctx)

	_, err = raw.Exec(ctx, `RESET ROLE`)
	require.NoError(t, err)
	var who string
	require.NoError(t, raw.QueryRow(ctx, `SELECT current_user`).Scan(&who))
	require.NotEqual(t, owner.User.Username(), who, "RESET ROLE made the connection the schema owner")
	var n int
	require.NoError(t, raw.QueryRow(ctx, `SELECT count(*) FROM organizations`).Scan(&n))
	require.Zero(t, n, "row-level security still applies after RESET ROLE")
	for _, stmt := range []string{
		`ALTER TABLE organizations NO FORCE ROW LEVEL SECURITY`,
		`SET ROLE ` + owner.User.Username(),
		`SET ROLE ` + db.SysreadRole,
	} {
		_, err := raw.Exec(ctx, stmt)
		require.Errorf(t, err, "%s after RESET ROLE", stmt)
	}
}

// Every application connection carries the pool's statement and idle
// limits; a transaction that must run longer raises its own.
func TestApplicationConnectionsCarryStatementLimits(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	ctx := context.Background()
	pool, err := db.Open(ctx, tdb.URL, db.Options{AppURL: tdb.AppURL, MaxConns: 2,
		StatementTimeout: 150 * time.Millisecond, IdleInTransactionTimeout: 45 * time.Second})
	require.NoError(t, err)
	defer pool.Close()
	var stmt, idle string
	require.NoError(t, pool.QueryRow(ctx, `SELECT current_setting('statement_timeout'), current_setting('idle_in_transaction_session_timeout')`).Scan(&stmt, &idle))
	require.Equal(t, "150ms", stmt)
	require.Equal(t, "45s", idle)

	_, err = pool.Exec(ctx, `SELECT pg_sleep(0.3)`)
	require.ErrorContains(t, err, "statement timeout")
	require.NoError(t, db.Tx(ctx, pool, func(tx pgx.Tx) error {
		if err := db.SetLocalTimeouts(ctx, tx, 5*time.Second); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `SELECT pg_sleep(0.3)`)
		return err
	}), "a transaction with its own limit runs past the pool's")
	require.NoError(t, pool.QueryRow(ctx, `SELECT current_setting('statement_timeout')`).Scan(&stmt))
	require.Equal(t, "150ms", stmt, "the raised limit ends with its transaction")
}
