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
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/peterldowns/pgtestdb"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/pgcluster"
)

// DB is one test's database.
type DB struct {
	// Pool runs as the application role, under row-level security, logged
	// in as the application's own login role (AppURL).
	Pool *pgxpool.Pool
	// URL connects as the role that owns the schema (what DATABASE_URL names).
	URL string
	// AppURL connects as the application login role, a member of
	// db.AppRole that owns nothing (what ATTEST_APP_DATABASE_URL names).
	AppURL string
	// AdminURL connects as the cluster's administrator to the same database.
	AdminURL string
}

// The application login role of every test database: one per cluster,
// like the roles the migrations create.
const (
	appLogin    = "attest_test_app"
	appPassword = "attest_test_app"
)

var (
	once     sync.Once
	appOnce  sync.Once
	appErr   error
	admin    pgtestdb.Config
	cluster  *pgcluster.Cluster
	dataDir  string
	startErr error
)

// Main runs the package's tests and stops the throwaway cluster afterwards.
func Main(m *testing.M) {
	os.Exit(Run(m))
}

// Run is Main without the exit: it runs the tests, stops the cluster they
// started and returns the exit code, for a TestMain with more to undo.
func Run(m *testing.M) int {
	code := m.Run()
	if cluster != nil {
		_ = cluster.Stop(context.Background(), true)
		_ = os.RemoveAll(dataDir)
	}
	return code
}

// New returns a fresh migrated database for t, dropped when t ends.
func New(t testing.TB) *DB {
	t.Helper()
	conf := Admin(t)
	return open(t, conf, *pgtestdb.Custom(t, conf, migrator{}))
}

// NewFromScratch migrates a brand-new database for t instead of cloning the
// template, for tests of what the migrations do to the database itself:
// its privileges (such as TEMPORARY) live in the cluster's catalog, which
// a clone does not copy. It takes seconds rather than milliseconds.
func NewFromScratch(t testing.TB) *DB {
	t.Helper()
	// A template first: it creates the owner role (under pgtestdb's lock,
	// which other test binaries sharing the cluster take too) and, once
	// migrated, the application login role.
	New(t)
	conf := Admin(t)
	ctx := context.Background()
	inst := conf
	inst.Database = "attest_scratch_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	inst.User, inst.Password = conf.TestRole.Username, conf.TestRole.Password
	admin, err := pgx.Connect(ctx, conf.URL())
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	defer admin.Close(ctx)
	_, err = admin.Exec(ctx, `CREATE DATABASE "`+inst.Database+`" OWNER "`+inst.User+`"`)
	if err != nil {
		t.Fatalf("testdb: create a scratch database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := pgx.Connect(context.Background(), conf.URL())
		if err == nil {
			_, _ = admin.Exec(context.Background(), `DROP DATABASE "`+inst.Database+`" WITH (FORCE)`)
			_ = admin.Close(context.Background())
		}
	})
	if err := (migrator{}).Migrate(ctx, nil, inst); err != nil {
		t.Fatalf("testdb: migrate a scratch database: %v", err)
	}
	return open(t, conf, inst)
}

// open connects to the migrated database inst as the application login
// role, creating that role on first use.
func open(t testing.TB, admin, inst pgtestdb.Config) *DB {
	t.Helper()
	ctx := context.Background()
	appOnce.Do(func() { appErr = createAppLogin(ctx, admin) })
	if appErr != nil {
		t.Fatalf("testdb: %v", appErr)
	}
	appInst := inst
	appInst.User, appInst.Password = appLogin, appPassword
	pool, err := db.Open(ctx, inst.URL(), db.Options{AppURL: appInst.URL(), MaxConns: 12})
	if err != nil {
		t.Fatalf("testdb: open application pool: %v", err)
	}
	t.Cleanup(pool.Close)
	adminInst := admin
	adminInst.Database = inst.Database
	return &DB{Pool: pool, URL: inst.URL(), AppURL: appInst.URL(), AdminURL: adminInst.URL()}
}

// createAppLogin creates the application login role once the migrations
// have created db.AppRole. Test binaries sharing a TEST_DATABASE_URL
// cluster may race to create it; the loser finds it there.
func createAppLogin(ctx context.Context, conf pgtestdb.Config) error {
	conn, err := pgx.Connect(ctx, conf.URL())
	if err != nil {
		return fmt.Errorf("create the application login role: %w", err)
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, `DO $$
BEGIN
    CREATE ROLE `+appLogin+` LOGIN PASSWORD '`+appPassword+`' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE IN ROLE `+db.AppRole+`;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$`)
	if err != nil {
		return fmt.Errorf("create the application login role: %w", err)
	}
	return nil
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
