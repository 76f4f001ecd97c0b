package main

import (
	"context"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/config"
)

// cliEnv is what the operator commands share: a pool under RLS, the account
// service and the actor their audit rows name.
type cliEnv struct {
	pool     *pgxpool.Pool
	log      *slog.Logger
	accounts *account.Service
	actor    audit.Actor
}

func (c *cli) openDB(ctx context.Context) (*cliEnv, error) {
	url, err := config.DatabaseURL(c.getenv)
	if err != nil {
		return nil, err
	}
	log := newLogger(c.stderr, c.getenv("ATTEST_LOG_FORMAT"), "warn")
	pool, err := db.Open(ctx, url, db.Options{AppURL: strings.TrimSpace(c.getenv("ATTEST_APP_DATABASE_URL")), MaxConns: 4})
	if err != nil {
		return nil, err
	}
	if err := db.CheckReady(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return &cliEnv{
		pool:     pool,
		log:      log,
		accounts: &account.Service{Pool: pool, Clock: clock.Real{}},
		actor:    audit.SystemActor("cli"),
	}, nil
}

func (e *cliEnv) close() { e.pool.Close() }
