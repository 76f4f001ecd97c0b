package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for goose
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLock is the advisory-lock key that serializes concurrent migrators.
const migrationLock = 0x61747465737401

// Migrate brings the schema up to date as the role named by ownerURL: River's
// migrations first, then attest's. Concurrent callers (several replicas
// starting at once) take turns.
func Migrate(ctx context.Context, ownerURL string, log *slog.Logger) error {
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		return fmt.Errorf("db: migrate: connect: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return fmt.Errorf("db: migrate: lock: %w", err)
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", migrationLock) //nolint:errcheck // released with the connection anyway

	pool, err := pgxpool.New(ctx, ownerURL)
	if err != nil {
		return fmt.Errorf("db: migrate: %w", err)
	}
	defer pool.Close()
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: log})
	if err != nil {
		return fmt.Errorf("db: migrate river: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("db: migrate river: %w", err)
	}

	sqlDB, err := sql.Open("pgx", ownerURL)
	if err != nil {
		return fmt.Errorf("db: migrate: %w", err)
	}
	defer sqlDB.Close()
	provider, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrationsFS(), goose.WithSlog(log))
	if err != nil {
		return fmt.Errorf("db: migrate: %w", err)
	}
	results, err := provider.Up(ctx)
	if err != nil {
		return fmt.Errorf("db: migrate: %w", err)
	}
	for _, r := range results {
		log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration)
	}
	return nil
}

// LatestVersion is the newest embedded migration version.
func LatestVersion() int64 {
	names, _ := fs.Glob(migrationsFS(), "*.sql")
	var latest int64
	for _, n := range names {
		v, err := goose.NumericComponent(n)
		if err == nil && v > latest {
			latest = v
		}
	}
	return latest
}

// SchemaHash identifies the migrated schema: every migration file plus the
// River version. Test templates are keyed by it.
func SchemaHash() string {
	h := sha256.New()
	names, _ := fs.Glob(migrationsFS(), "*.sql")
	sort.Strings(names)
	for _, n := range names {
		b, _ := fs.ReadFile(migrationsFS(), n)
		fmt.Fprintf(h, "%s %d\n", n, len(b))
		h.Write(b)
	}
	if migrator, err := rivermigrate.New(riverpgxv5.New(nil), nil); err == nil {
		for _, m := range migrator.AllVersions() {
			fmt.Fprintf(h, "river %d\n", m.Version)
			h.Write([]byte(m.SQLUp))
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func migrationsFS() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory exists
	}
	return sub
}
