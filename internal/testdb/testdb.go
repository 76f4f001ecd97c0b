// Package testdb gives each test its own migrated PostgreSQL database, cloned
// from a template in about 150 ms. It uses TEST_DATABASE_URL (a role allowed
// to create roles and databases) when set; otherwise it boots one throwaway
// cluster per test binary. Packages that use it call Main from TestMain so the
// cluster stops when the tests end.
package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/peterldowns/pgtestdb"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/pgcluster"
)

// DB is one test's database.
type DB struct {
	// Pool runs as the application role, under row-level security.
	Pool *pgxpool.Pool
	// URL connects as the role that owns the schema (what DATABASE_URL names).
	URL string
	// AdminURL connects as the cluster's administrator to the same database.
	AdminURL string
}

var (
	once     sync.Once
	admin    pgtestdb.Config
	cluster  *pgcluster.Cluster
	dataDir  string
	startErr error
)

// Main runs the package's tests and stops the throwaway cluster afterwards.
func Main(m *testing.M) {
	code := m.Run()
	if cluster != nil {
		_ = cluster.Stop(context.Background(), true)
		_ = os.RemoveAll(dataDir)
	}
	os.Exit(code)
}

// New returns a fresh migrated database for t, dropped when t ends.
func New(t testing.TB) *DB {
	t.Helper()
	conf := Admin(t)
	inst := pgtestdb.Custom(t, conf, migrator{})
	ctx := context.Background()
	pool, err := db.Open(ctx, inst.URL(), 12)
	if err != nil {
		t.Fatalf("testdb: open application pool: %v", err)
	}
	t.Cleanup(pool.Close)
	adminInst := conf
	adminInst.Database = inst.Database
	return &DB{Pool: pool, URL: inst.URL(), AdminURL: adminInst.URL()}
}

// Admin returns the administrator configuration, booting the cluster once.
func Admin(t testing.TB) pgtestdb.Config {
	t.Helper()
	once.Do(func() { admin, startErr = boot() })
	if startErr != nil {
		t.Fatalf("testdb: %v", startErr)
	}
	return admin
}

func boot() (pgtestdb.Config, error) {
	if raw := os.Getenv("TEST_DATABASE_URL"); raw != "" {
		return configFromURL(raw)
	}
	dir, err := os.MkdirTemp("", "attest-testpg-")
	if err != nil {
		return pgtestdb.Config{}, err
	}
	dataDir = dir
	if err := os.Chmod(dir, 0o755); err != nil {
		return pgtestdb.Config{}, err
	}
	cluster, err = pgcluster.Start(context.Background(), pgcluster.Options{Dir: dir + "/data", MaxConnections: 400, SharedBuffers: "512MB"})
	if err != nil {
		return pgtestdb.Config{}, err
	}
	return configFromURL(cluster.SuperuserURL("postgres"))
}

func configFromURL(raw string) (pgtestdb.Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return pgtestdb.Config{}, fmt.Errorf("TEST_DATABASE_URL: %w", err)
	}
	pw, _ := u.User.Password()
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	if _, err := strconv.Atoi(port); err != nil {
		return pgtestdb.Config{}, fmt.Errorf("TEST_DATABASE_URL: bad port %q", port)
	}
	dbName := u.Path
	if len(dbName) > 1 {
		dbName = dbName[1:]
	} else {
		dbName = "postgres"
	}
	opts := u.Query()
	if opts.Get("sslmode") == "" {
		opts.Set("sslmode", "disable")
	}
	return pgtestdb.Config{
		DriverName:                "pgx",
		User:                      u.User.Username(),
		Password:                  pw,
		Host:                      u.Hostname(),
		Port:                      port,
		Database:                  dbName,
		Options:                   opts.Encode(),
		ForceTerminateConnections: true,
		TestRole: &pgtestdb.Role{
			Username:     "attest_test_owner",
			Password:     "attest_test_owner",
			Capabilities: "NOSUPERUSER NOCREATEDB CREATEROLE",
		},
	}, nil
}

// migrator builds the template database with attest's real migrations.
type migrator struct{}

func (migrator) Hash() (string, error) { return db.SchemaHash(), nil }

func (migrator) Migrate(ctx context.Context, _ *sql.DB, conf pgtestdb.Config) error {
	return db.Migrate(ctx, conf.URL(), slog.New(slog.NewTextHandler(io.Discard, nil)))
}
