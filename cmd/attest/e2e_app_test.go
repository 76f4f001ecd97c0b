package main

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/config"
	"github.com/attesthq/attest/internal/testdb"
	"github.com/attesthq/attest/jobs"
)

// The browser suite's accounts and organization.
const (
	e2eOrg           = "acme"
	e2eOwnerEmail    = "owner@acme.test"
	e2eOwnerPassword = "correct horse battery staple"
	// The platform operator (seedOperator), apart from every organization.
	e2eOperatorEmail    = "operator@attest.test"
	e2eOperatorPassword = "operator passphrase 2026"
)

// e2eStart is where every scenario's clock starts: a fixed moment, so pages
// and screenshots read the same on every run.
var e2eStart = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// e2eCheapHashing keeps sign-in fast under the race detector; production
// uses auth.ProductionParams.
var e2eCheapHashing = argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// e2eServer is the real attest application, assembled by newApp as `attest
// serve` does (web server, River workers, Entra simulator) and serving on a
// loopback port, against its own database, with a clock the test moves.
type e2eServer struct {
	app   *app
	clock *clock.Fake
	// URL is the origin the browser opens, also the app's ATTEST_BASE_URL.
	URL string
}

// e2eServerOptions choose what differs between scenarios.
type e2eServerOptions struct {
	// NoPeriodic leaves out the recurring jobs (the scheduler would sync a
	// connection as soon as the clock moves past its next sync); the test
	// then runs the one it needs with runJob.
	NoPeriodic bool
}

// startE2EServer boots the application and seeds the organization "acme"
// with its owner. Everything stops when the test ends.
func startE2EServer(t *testing.T, opts e2eServerOptions) *e2eServer {
	t.Helper()
	tdb := testdb.New(t)
	addr := freeLoopbackAddr(t)
	env := map[string]string{
		"ATTEST_APP_DATABASE_URL": tdb.AppURL, // the application's own login role

		"DATABASE_URL":            tdb.URL,
		"ATTEST_ADDR":             addr,
		"ATTEST_BASE_URL":         "http://" + addr,
		"ATTEST_SESSION_KEYS":     "e2e-session-key-0123456789abcdef0123456789",
		"ATTEST_MASTER_KEY_FILE":  filepath.Join(t.TempDir(), "master.key"),
		"ATTEST_ENTRA_SIMULATOR":  "true",
		"ATTEST_GITHUB_SIMULATOR": "true",
		"ATTEST_DB_MAX_CONNS":     "12",
		"ATTEST_LOG_LEVEL":        "warn",
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	require.NoError(t, err)
	logs := &lockedBuffer{}
	log := newLogger(logs, cfg.LogFormat, cfg.LogLevel)
	clk := clock.NewFake(e2eStart)
	appOpts := appOptions{Clock: clk, PasswordParams: e2eCheapHashing}
	if opts.NoPeriodic {
		appOpts.Jobs = jobs.Config{SyncWorkers: cfg.SyncWorkers, SyncTimeout: cfg.SyncTimeout, RescueAfter: cfg.JobRescueAfter, Work: true}
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := newApp(ctx, cfg, log, appOpts)
	require.NoError(t, err)
	seedE2EOrg(t, a.pool, a.clock)

	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, func(string) { close(ready) }) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
		a.close()
		if t.Failed() {
			t.Logf("attest's log:\n%s", logs.String())
		}
	})
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("attest did not start: %v", err)
	}
	return &e2eServer{app: a, clock: clk, URL: "http://" + addr}
}

// seedE2EOrg creates the organization and its owner, as `attest org create`
// and `attest user create` would.
func seedE2EOrg(t *testing.T, pool *pgxpool.Pool, clk clock.Clock) {
	t.Helper()
	ctx := context.Background()
	accounts := &account.Service{Pool: pool, Clock: clk}
	actor := audit.SystemActor("e2e")
	org, err := accounts.CreateOrg(ctx, "Acme Corp", e2eOrg, actor)
	require.NoError(t, err)
	hasher, err := auth.NewHasher(e2eCheapHashing)
	require.NoError(t, err)
	_, err = accounts.AddMember(ctx, hasher, org.ID, account.Member{Email: e2eOwnerEmail, Password: e2eOwnerPassword, Role: account.RoleOwner, DisplayName: "Olivia Owner"}, actor)
	require.NoError(t, err)
}

// seedOperator makes the platform operator, as `attest operator create`
// would.
func (s *e2eServer) seedOperator(t *testing.T) {
	t.Helper()
	hasher, err := auth.NewHasher(e2eCheapHashing)
	require.NoError(t, err)
	accounts := &account.Service{Pool: s.app.pool, Clock: s.app.clock}
	_, err = accounts.MakeOperator(context.Background(), s.app.cfg.DatabaseURL, hasher, e2eOperatorEmail, e2eOperatorPassword)
	require.NoError(t, err)
}

// runJob inserts a job as its periodic schedule would and waits until the
// application's workers have completed it.
func (s *e2eServer) runJob(t *testing.T, args river.JobArgs) {
	t.Helper()
	events, stop := s.app.river.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := s.app.river.Insert(ctx, args, nil)
	require.NoError(t, err)
	for {
		select {
		case ev := <-events:
			if ev.Job.ID != res.Job.ID {
				continue
			}
			require.Equal(t, river.EventKindJobCompleted, ev.Kind, "%s job: %v", args.Kind(), ev.Job.Errors)
			return
		case <-ctx.Done():
			t.Fatalf("the %s job did not finish", args.Kind())
		}
	}
}

// freeLoopbackAddr picks a free port on 127.0.0.1. The application listens
// on it itself, as `attest serve` does; its base URL must name the port
// before the server starts (OAuth redirect URIs are built from it).
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close())
	return "127.0.0.1:" + strconv.Itoa(port)
}

// lockedBuffer collects the application's log for a failing test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
