package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/assessment"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/config"
	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/exclusion"
	"github.com/attesthq/attest/internal/synctest"
	"github.com/attesthq/attest/internal/webtest"
	"github.com/attesthq/attest/jobs"
	"github.com/attesthq/attest/web"
)

// Dashboard benchmark shape (issue 5).
const (
	dashOrgs        = 1_000
	dashConnections = 50
	dashEvidence    = 1_000_000
	// otherEvidence is each other organization's evidence.
	otherEvidence = 300
	dashClients   = 16
	dashDuration  = 20 * time.Second
)

// BenchmarkDashboard serves the dashboard and a control page to 16
// concurrent signed-in clients for an organization with 1,000,000 evidence
// rows and 50 connections, in a database holding 1,000 organizations.
func BenchmarkDashboard(b *testing.B) {
	e := synctest.New(b, synctest.Options{Start: time.Now()})
	seedStart := time.Now()
	seedDashboard(b, e)
	seeded := time.Since(seedStart)
	srv := dashboardServer(b, e)
	cookies := signIn(b, e, srv.URL)

	pages := map[string]string{
		"dashboard":    "/o/" + e.Org.Slug + "/",
		"control page": "/o/" + e.Org.Slug + "/controls/CC6.1",
	}
	names := []string{"dashboard", "control page"}
	b.ResetTimer()
	for range b.N {
		for _, name := range names {
			load(srv.URL+pages[name], cookies, 2*time.Second) // warm caches
			cpu := startCPU(b, e.DB.Pool)
			res := load(srv.URL+pages[name], cookies, dashDuration)
			used := cpu.read()
			if res.errors > 0 {
				b.Fatalf("%s: %d requests failed (first: %v)", name, res.errors, res.firstErr)
			}
			p50, p99, rps := res.percentile(50), res.percentile(99), res.rps()
			unit := strings.ReplaceAll(name, " ", "-")
			b.ReportMetric(float64(p99.Microseconds())/1000, unit+"-p99-ms")
			b.ReportMetric(rps, unit+"-req/s")
			used.report(b, unit+"-", len(res.latencies))
			report(b, fmt.Sprintf("Dashboard: %s, %d concurrent clients", name, dashClients), []string{
				fmt.Sprintf("One organization with %d evidence rows and %d connections, in a database of %d organizations "+
					"(%d evidence rows in all; seeding took %.0f s). Each client signs in once and requests %s for %.0f s after a 2 s warm-up; "+
					"server, load generator and PostgreSQL share the machine.",
					dashEvidence, dashConnections, dashOrgs, dashEvidence+(dashOrgs-1)*otherEvidence, seeded.Seconds(), pages[name], dashDuration.Seconds()),
				"",
				"| measure | value | target |",
				"|---|---|---|",
				fmt.Sprintf("| requests | %d | |", len(res.latencies)),
				fmt.Sprintf("| median latency | %.1f ms | |", float64(p50.Microseconds())/1000),
				fmt.Sprintf("| p99 latency | %.1f ms | < 50 ms: %s |", float64(p99.Microseconds())/1000, verdict(p99 < 50*time.Millisecond)),
				fmt.Sprintf("| throughput | %.0f requests/s | ≥ 1,000: %s |", rps, verdict(rps >= 1000)),
				fmt.Sprintf("| CPU per request | %s | |", used.per(len(res.latencies))),
			})
		}
	}
}

// loadResult is what one load run measured.
type loadResult struct {
	latencies []time.Duration
	took      time.Duration
	errors    int
	firstErr  error
}

func (r loadResult) percentile(p int) time.Duration {
	s := slices.Clone(r.latencies)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func (r loadResult) rps() float64 { return float64(len(r.latencies)) / r.took.Seconds() }

// load has dashClients clients request url back to back for d.
func load(url string, cookies [][]*http.Cookie, d time.Duration) loadResult {
	var mu sync.Mutex
	var res loadResult
	transport := &http.Transport{MaxIdleConnsPerHost: dashClients}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for i := range dashClients {
		wg.Go(func() {
			var mine []time.Duration
			var errs int
			var first error
			for time.Now().Before(deadline) {
				t0 := time.Now()
				err := get(client, url, cookies[i])
				if err != nil {
					errs++
					first = cmpErr(first, err)
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			res.latencies = append(res.latencies, mine...)
			res.errors += errs
			res.firstErr = cmpErr(res.firstErr, first)
			mu.Unlock()
		})
	}
	wg.Wait()
	res.took = time.Since(start)
	return res
}

func cmpErr(have, next error) error {
	if have != nil {
		return have
	}
	return next
}

func get(client *http.Client, url string, cookies []*http.Cookie) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	n, _ := io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK || n < 1000 {
		return fmt.Errorf("GET %s: %d (%d bytes)", url, resp.StatusCode, n)
	}
	return nil
}

// dashboardServer runs attest's web server over the environment's database
// with the production pool size.
func dashboardServer(b *testing.B, e *synctest.Env) *httptest.Server {
	b.Helper()
	srv := httptest.NewServer(nil)
	b.Cleanup(srv.Close)
	env := map[string]string{
		"DATABASE_URL":           e.DB.URL,
		"ATTEST_SESSION_KEYS":    "bench-session-key-0123456789abcdef0123456789",
		"ATTEST_BASE_URL":        srv.URL,
		"ATTEST_MASTER_KEY_FILE": filepath.Join(b.TempDir(), "master.key"),
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		b.Fatal(err)
	}
	pool, err := db.Open(context.Background(), e.DB.URL, db.Options{AppURL: e.DB.AppURL, MaxConns: cfg.DBMaxConns,
		StatementTimeout: cfg.DBStatementTimeout, IdleInTransactionTimeout: cfg.DBIdleInTransactionTimeout})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	hasher, err := auth.NewHasher(benchArgon)
	if err != nil {
		b.Fatal(err)
	}
	log := (&webtest.Logs{}).Logger()
	clk := clock.Real{}
	_, queue, err := jobs.NewClient(jobs.Deps{Pool: pool, Clock: clk, Log: log, Syncer: e.Syncer, Registry: e.Registry}, jobs.Config{SyncTimeout: time.Minute, RescueAfter: 2 * time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	app, err := web.New(web.Deps{Config: cfg, Pool: pool, Clock: clk, Log: log,
		Auth: &auth.Service{Pool: pool, Clock: clk, Hasher: hasher, Throttle: auth.DefaultThrottle,
			IdleTimeout: cfg.SessionIdleTimeout, MaxAge: cfg.SessionMaxAge, Log: log},
		Connectors: e.Registry, Jobs: queue, Exclusions: &exclusion.Service{Pool: pool, Clock: clk}, Assessments: &assessment.Service{Pool: pool, Clock: clk, Registry: e.Registry},
		Connections: &connection.Service{Pool: pool, Clock: clk, Vault: e.Vault, Registry: e.Registry, Syncs: queue, Alerts: queue,
			CallbackURL: func(string) string { return synctest.Callback }}})
	if err != nil {
		b.Fatal(err)
	}
	srv.Config.Handler = app.Handler()
	return srv
}

// benchArgon hashes the benchmark users' passwords cheaply: sign-in is not
// what is measured.
var benchArgon = argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// signIn creates one user per client and signs each in, returning their
// session cookies.
func signIn(b *testing.B, e *synctest.Env, base string) [][]*http.Cookie {
	b.Helper()
	hasher, err := auth.NewHasher(benchArgon)
	if err != nil {
		b.Fatal(err)
	}
	out := make([][]*http.Cookie, dashClients)
	for i := range out {
		email, password := fmt.Sprintf("admin%d@bench.test", i), "bench passphrase 2026"
		if _, err := e.Accounts.AddMember(context.Background(), hasher, e.Org.ID, account.Member{Email: email, Password: password, Role: account.RoleAdmin},
			audit.SystemActor("bench")); err != nil {
			b.Fatal(err)
		}
		c := webtest.NewClient(b, base)
		c.Login(email, password)
		out[i] = c.Cookies()
	}
	return out
}

// seedDashboard syncs one connection for real, then, as the cluster's
// administrator, copies it into 49 more connections, pads the organization
// to dashEvidence evidence rows, adds 999 other organizations with one
// connection each, and 90 days of coverage snapshots. Every connection's
// last success is half an hour ago, so all evidence is fresh.
func seedDashboard(b *testing.B, e *synctest.Env) {
	b.Helper()
	ctx := context.Background()
	conn, admin := syncedConnection(b, e)
	defer admin.Close()
	err := pgx.BeginFunc(ctx, admin, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, seedParams, e.Org.ID, conn, dashConnections, dashEvidence, dashOrgs, otherEvidence); err != nil {
			return err
		}
		for _, stmt := range seedStatements {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("%w\n%s", err, stmt)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := admin.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		b.Fatal(err)
	}
}

// syncedConnection connects and syncs one connection for real, the template
// a benchmark's data is copied from, and opens a pool as the cluster's
// administrator (row-level security does not apply) to copy it with.
func syncedConnection(b *testing.B, e *synctest.Env) (uuid.UUID, *pgxpool.Pool) {
	b.Helper()
	conn := e.Connect(b)
	if _, err := e.Sync(b, conn); err != nil {
		b.Fatal(err)
	}
	admin, err := pgxpool.New(context.Background(), e.DB.AdminURL)
	if err != nil {
		b.Fatal(err)
	}
	return conn, admin
}
