package db

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// CheckReady reports whether the database answers and its schema (attest's and
// River's) is at the version this binary expects.
func CheckReady(ctx context.Context, pool *pgxpool.Pool) error {
	var version int64
	err := pool.QueryRow(ctx, `SELECT coalesce(max(version_id), 0) FROM goose_db_version WHERE is_applied`).Scan(&version)
	if err != nil {
		return fmt.Errorf("db: read schema version: %w", err)
	}
	if want := LatestVersion(); version != want {
		return fmt.Errorf("db: schema is at version %d, this binary needs %d: run `attest migrate`", version, want)
	}
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return fmt.Errorf("db: river migrator: %w", err)
	}
	res, err := migrator.Validate(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: validate river schema: %w", err)
	}
	if !res.OK {
		return fmt.Errorf("db: river schema is not current: %v", res.Messages)
	}
	return nil
}
