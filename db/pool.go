package db

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// AppRole is the role every application connection runs as.
const AppRole = "attest_app"

// Open connects to DATABASE_URL and returns a pool whose every connection runs
// as AppRole. It refuses to return a pool that could bypass row-level security.
// Each configure function adjusts the pool's configuration before it opens
// (a benchmark adds a query tracer).
func Open(ctx context.Context, url string, maxConns int32, configure ...func(*pgxpool.Config)) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("db: parse DATABASE_URL: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "attest"
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		registerUUID(conn.TypeMap())
		if _, err := conn.Exec(ctx, "SET ROLE "+AppRole); err != nil {
			return fmt.Errorf("db: switch to %s (run `attest migrate` first): %w", AppRole, err)
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
	if err := checkUnprivileged(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

func checkUnprivileged(ctx context.Context, pool *pgxpool.Pool) error {
	var role string
	var super, bypass bool
	err := pool.QueryRow(ctx, `SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`).
		Scan(&role, &super, &bypass)
	if err != nil {
		return fmt.Errorf("db: check application role: %w", err)
	}
	if role != AppRole || super || bypass {
		return fmt.Errorf("db: application connections run as %q (superuser=%t, bypassrls=%t); want %s without either", role, super, bypass, AppRole)
	}
	return nil
}
