package db

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// AppRole is the role every application connection runs as.
const AppRole = "attest_app"

// Options choose how the application pool logs in and bounds its work.
type Options struct {
	// AppURL, when set, logs in as the application's own login role
	// (ATTEST_APP_DATABASE_URL): AppRole itself given LOGIN, or a role that
	// is a member of it. Open refuses a login role that could leave row-level
	// security behind (see CheckLoginRole). Unset, the pool logs in with the
	// owner's URL and switches to AppRole with SET ROLE, which injected SQL
	// could undo with RESET ROLE.
	AppURL string
	// MaxConns caps the pool; zero keeps pgx's default.
	MaxConns int32
	// StatementTimeout and IdleInTransactionTimeout, when positive, become
	// the connections' statement_timeout and
	// idle_in_transaction_session_timeout: a runaway query or a transaction
	// left open cannot hold a connection for longer. A transaction that must
	// run longer raises its own limit (SetLocalTimeouts).
	StatementTimeout         time.Duration
	IdleInTransactionTimeout time.Duration
	// Pooled says AppURL goes through a transaction pooler (PgBouncer in
	// transaction mode), where a server connection is the client's for one
	// transaction only: nothing may outlive a transaction. The pool then
	// logs in as the application role without SET ROLE, sends no session
	// parameters (the pooler refuses them; give the login role its
	// statement_timeout and idle_in_transaction_session_timeout with ALTER
	// ROLE), and prepares no named statements.
	Pooled bool
}

// Open returns a pool whose every connection runs as AppRole, logging in
// with o.AppURL when given and with ownerURL (DATABASE_URL) otherwise. It
// refuses to return a pool that could bypass row-level security. Each
// configure function adjusts the pool's configuration before it opens (a
// benchmark adds a query tracer).
func Open(ctx context.Context, ownerURL string, o Options, configure ...func(*pgxpool.Config)) (*pgxpool.Pool, error) {
	url, name := ownerURL, "DATABASE_URL"
	if o.AppURL != "" {
		url, name = o.AppURL, "ATTEST_APP_DATABASE_URL"
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("db: parse %s: %w", name, err)
	}
	if o.MaxConns > 0 {
		cfg.MaxConns = o.MaxConns
	}
	if o.Pooled && o.AppURL == "" {
		return nil, fmt.Errorf("db: behind a transaction pooler the application must log in as its own role (ATTEST_APP_DATABASE_URL)")
	}
	params := cfg.ConnConfig.RuntimeParams
	params["application_name"] = "attest"
	if o.Pooled {
		// Unnamed statements with their descriptions cached: a named
		// prepared statement would live on one server connection only.
		cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
	} else {
		if o.StatementTimeout > 0 {
			params["statement_timeout"] = millis(o.StatementTimeout)
		}
		if o.IdleInTransactionTimeout > 0 {
			params["idle_in_transaction_session_timeout"] = millis(o.IdleInTransactionTimeout)
		}
	}
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		registerUUID(conn.TypeMap())
		if o.Pooled {
			return nil
		}
		if _, err := conn.Exec(ctx, "SET ROLE "+AppRole); err != nil {
			return fmt.Errorf("db: switch to %s (run `attest migrate` first; a login role must be granted %s): %w", AppRole, AppRole, err)
		}
		return nil
	}
	for _, fn := range configure {
		fn(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("db: open pool: %w", err)
	}
	err = checkUnprivileged(ctx, pool, o.Pooled)
	if err == nil && o.AppURL != "" {
		err = CheckLoginRole(ctx, pool)
	}
	if err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// SetLocalTimeouts gives the rest of tx its own statement and idle limits,
// for the one kind of work that legitimately outlasts the pool's: a
// download streamed to a client from one query.
func SetLocalTimeouts(ctx context.Context, tx pgx.Tx, d time.Duration) error {
	_, err := tx.Exec(ctx, `SELECT set_config('statement_timeout', $1, true), set_config('idle_in_transaction_session_timeout', $1, true)`, millis(d))
	if err != nil {
		return fmt.Errorf("db: set transaction timeouts: %w", err)
	}
	return nil
}

// SetLocalSort turns the planner's sorts on or off for the rest of tx, for
// a query whose only good plan walks an index in order.
func SetLocalSort(ctx context.Context, tx pgx.Tx, on bool) error {
	v := "off"
	if on {
		v = "on"
	}
	if _, err := tx.Exec(ctx, "SELECT set_config('enable_sort', $1, true)", v); err != nil {
		return fmt.Errorf("db: set transaction planner sort: %w", err)
	}
	return nil
}

// millis formats d as a PostgreSQL duration setting in milliseconds.
func millis(d time.Duration) string {
	return strconv.FormatInt(max(d.Milliseconds(), 1), 10) + "ms"
}

// checkUnprivileged refuses connections that run as anything but AppRole
// (or, pooled, a login role that inherits AppRole's grants) or that could
// bypass row-level security.
func checkUnprivileged(ctx context.Context, pool *pgxpool.Pool, pooled bool) error {
	var role string
	var super, bypass, inherits bool
	err := pool.QueryRow(ctx, `SELECT current_user, rolsuper, rolbypassrls, pg_has_role(current_user, $1, 'USAGE')
		FROM pg_roles WHERE rolname = current_user`, AppRole).Scan(&role, &super, &bypass, &inherits)
	if err != nil {
		return fmt.Errorf("db: check application role: %w", err)
	}
	if (role != AppRole && !(pooled && inherits)) || super || bypass {
		want := AppRole
		if pooled {
			want = "a login role inheriting " + AppRole
		}
		return fmt.Errorf("db: application connections run as %q (superuser=%t, bypassrls=%t); want %s without either", role, super, bypass, want)
	}
	return nil
}
