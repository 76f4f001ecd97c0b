package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/config"
	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/synctest"
	"github.com/attesthq/attest/internal/testdb"
	"github.com/attesthq/attest/internal/webtest"
	"github.com/attesthq/attest/jobs"
)

// sample is one line of a Prometheus text scrape.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

var (
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$`)
	labelPair  = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"`)
)

// parseScrape reads the text exposition format, every sample with its
// labels (escapes left as sent).
func parseScrape(t *testing.T, body string) []sample {
	t.Helper()
	var out []sample
	for _, line := range strings.Split(body, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := sampleLine.FindStringSubmatch(line)
		require.NotNil(t, m, "not a sample line: %q", line)
		v, err := strconv.ParseFloat(m[3], 64)
		require.NoError(t, err, line)
		s := sample{name: m[1], labels: map[string]string{}, value: v}
		for _, p := range labelPair.FindAllStringSubmatch(m[2], -1) {
			s.labels[p[1]] = p[2]
		}
		out = append(out, s)
	}
	return out
}

// scrape is one scrape, queried by series name and labels.
type scrape []sample

// sum adds the samples of name whose labels include want.
func (s scrape) sum(name string, want map[string]string) (total float64, found bool) {
	for _, x := range s {
		if x.name != name {
			continue
		}
		match := true
		for k, v := range want {
			match = match && x.labels[k] == v
		}
		if match {
			total, found = total+x.value, true
		}
	}
	return total, found
}

// value is the sum, required to exist.
func (s scrape) value(t *testing.T, name string, want map[string]string) float64 {
	t.Helper()
	v, ok := s.sum(name, want)
	require.True(t, ok, "no %s%v in the scrape", name, want)
	return v
}

// labelValues lists the values one label takes on a series.
func (s scrape) labelValues(name, label string) []string {
	var out []string
	for _, x := range s {
		if v, ok := x.labels[label]; ok && x.name == name {
			out = append(out, v)
		}
	}
	return out
}

// metricsServer is the application as `attest serve` runs it, with
// ATTEST_METRICS_ADDR set, against an Entra simulator on its own server.
type metricsServer struct {
	app *app
	sim *entrasim.Simulator
	// envs are two organizations, each with its own owner.
	envs     [2]*synctest.Env
	logs     *webtest.Logs
	public   string
	metrics  string
	maxConns int32
}

func startMetricsServer(t *testing.T) *metricsServer {
	t.Helper()
	tdb := testdb.New(t)
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	clk := clock.NewFake(start)
	sim := synctest.NewSimulator(entrasim.DefaultTenant(), false, clk.Now)
	simSrv := httptest.NewServer(sim)
	t.Cleanup(simSrv.Close)
	keyFile := filepath.Join(t.TempDir(), "master.key")
	var envs [2]*synctest.Env
	for i := range envs {
		envs[i] = synctest.New(t, synctest.Options{DB: tdb, SimulatorURL: simSrv.URL, KeyFile: keyFile, Start: start})
	}

	vars := map[string]string{
		"ATTEST_APP_DATABASE_URL": tdb.AppURL, // the application's own login role

		"DATABASE_URL":           tdb.URL,
		"ATTEST_ADDR":            "127.0.0.1:0",
		"ATTEST_METRICS_ADDR":    "127.0.0.1:0",
		"ATTEST_SESSION_KEYS":    "metrics-test-session-key-0123456789abcdef",
		"ATTEST_MASTER_KEY_FILE": keyFile,
		"ATTEST_ENTRA_LOGIN_URL": simSrv.URL + "/sim/login",
		"ATTEST_ENTRA_GRAPH_URL": simSrv.URL + "/sim/graph",
		"ATTEST_DB_MAX_CONNS":    "9",
	}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	require.NoError(t, err)
	logs := &webtest.Logs{}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := newApp(ctx, cfg, newLogger(logs, "json", "info"), appOptions{
		Clock: clk, PasswordParams: auth.ProductionParams,
		// No periodic jobs: the test runs the syncs it counts.
		Jobs: jobs.Config{SyncWorkers: 1, SyncTimeout: time.Minute, RescueAfter: 2 * time.Minute, Work: true},
	})
	require.NoError(t, err)
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, func(addr string) { ready <- addr }) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
		a.close()
		if t.Failed() {
			t.Logf("attest's log:\n%s", logs.String())
		}
	})
	s := &metricsServer{app: a, sim: sim, envs: envs, logs: logs, maxConns: cfg.DBMaxConns}
	select {
	case addr := <-ready:
		s.public = "http://" + addr
	case err := <-done:
		t.Fatalf("attest did not start: %v", err)
	}
	s.metrics = "http://" + a.metricsAddr
	return s
}

// sync runs one sync job of the first organization's connection on the
// application's workers and waits until it has completed.
func (s *metricsServer) sync(t *testing.T, connID uuid.UUID) {
	t.Helper()
	events, stop := s.app.river.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := s.app.river.Insert(ctx, jobs.SyncConnectionArgs{OrgID: s.envs[0].Org.ID, ConnectionID: connID, Trigger: "manual"}, nil)
	require.NoError(t, err)
	for {
		select {
		case ev := <-events:
			if ev.Job.ID == res.Job.ID {
				require.Equal(t, river.EventKindJobCompleted, ev.Kind, "sync job: %v", ev.Job.Errors)
				return
			}
		case <-ctx.Done():
			t.Fatal("the sync job did not finish")
		}
	}
}

// noRedirects sees every answer as sent.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := noRedirects.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// scrape reads /metrics from the metrics listener.
func (s *metricsServer) scrape(t *testing.T) scrape {
	t.Helper()
	status, body := get(t, s.metrics+"/metrics")
	require.Equal(t, http.StatusOK, status, body)
	return parseScrape(t, body)
}

func TestMetricsListenerIsOffUnlessConfigured(t *testing.T) {
	t.Parallel()
	a := &app{}
	stop, err := a.serveMetrics()
	require.NoError(t, err)
	stop()
	require.Empty(t, a.metricsAddr)
}

func TestMetricsAfterASync(t *testing.T) {
	t.Parallel()
	s := startMetricsServer(t)
	synced := s.envs[0].Connect(t)
	s.envs[1].Connect(t) // connected, never synced: awaiting its first sync

	// /metrics is never on the public port: a visitor is sent to sign in
	// as for any unknown path (signed in, it is a 404: see the web tests).
	status, body := get(t, s.public+"/metrics")
	require.Equal(t, http.StatusSeeOther, status)
	require.NotContains(t, body, "attest_")
	status, _ = get(t, s.public+"/login")
	require.Equal(t, http.StatusOK, status)
	// Raw paths holding the organization's slug or an email count under
	// their route pattern.
	status, _ = get(t, s.public+"/o/"+s.envs[0].Org.Slug+"/audit")
	require.Equal(t, http.StatusSeeOther, status)
	status, _ = get(t, s.public+"/no/such/"+s.envs[0].Owner.Email)
	require.Equal(t, http.StatusSeeOther, status)
	// Nor does the metrics listener serve anything else.
	status, _ = get(t, s.metrics+"/login")
	require.Equal(t, http.StatusNotFound, status)

	// Graph throttles the first users request once; the sync retries.
	s.sim.Tenant(entrasim.DefaultTenantID).InjectFault(entrasim.Fault{Dataset: entrasim.DatasetUsers, Status: http.StatusTooManyRequests, RetryAfter: "0"})
	s.sync(t, synced)
	s.sync(t, synced) // unchanged data: deduplicated

	var m scrape
	completed := map[string]string{"queue": jobs.QueueSync, "kind": "sync_connection", "outcome": "completed"}
	require.Eventually(t, func() bool {
		m = s.scrape(t)
		n, _ := m.sum("attest_river_job_outcomes_total", completed)
		return n == 2
	}, 10*time.Second, 10*time.Millisecond, "both sync jobs counted")

	// HTTP by route pattern and status, with latencies.
	require.GreaterOrEqual(t, m.value(t, "attest_http_requests_total", map[string]string{"method": "GET", "route": "/login", "status": "200"}), 1.0)
	require.Equal(t, 1.0, m.value(t, "attest_http_requests_total", map[string]string{"route": "/o/:org/audit", "status": "303"}))
	require.Equal(t, 2.0, m.value(t, "attest_http_requests_total", map[string]string{"route": "/*", "status": "303"}))
	require.GreaterOrEqual(t, m.value(t, "attest_http_request_duration_seconds_count", map[string]string{"route": "/login"}), 1.0)
	require.Equal(t,
		m.value(t, "attest_http_request_duration_seconds_count", map[string]string{"route": "/login"}),
		m.value(t, "attest_http_request_duration_seconds_bucket", map[string]string{"route": "/login", "le": "+Inf"}))

	// Syncs by connector and outcome, with durations.
	entraOK := map[string]string{"connector": "entra", "outcome": "succeeded"}
	require.Equal(t, 2.0, m.value(t, "attest_syncs_total", entraOK))
	require.Equal(t, 2.0, m.value(t, "attest_sync_duration_seconds_count", entraOK))
	require.Greater(t, m.value(t, "attest_sync_duration_seconds_sum", entraOK), 0.0)

	// The provider's traffic by connector and rate-limit family: the one 429
	// and its retry.
	families := []string{"directory", "reports", "sign_in_activity", "protection"}
	for _, series := range []string{"attest_provider_requests_total", "attest_provider_throttled_total", "attest_provider_retries_total"} {
		for _, f := range m.labelValues(series, "family") {
			require.Contains(t, families, f, series)
		}
	}
	for _, f := range []string{"reports", "sign_in_activity", "protection"} {
		require.Greater(t, m.value(t, "attest_provider_requests_total", map[string]string{"connector": "entra", "family": f}), 0.0, f)
	}
	require.Equal(t, 1.0, m.value(t, "attest_provider_throttled_total", nil))
	throttled := m.labelValues("attest_provider_throttled_total", "family")
	require.Len(t, throttled, 1)
	require.Equal(t, 1.0, m.value(t, "attest_provider_retries_total", map[string]string{"connector": "entra", "family": throttled[0]}))

	// Evidence: every stored row counted once, the second sync's records
	// deduplicated.
	ingested := m.value(t, "attest_evidence_ingested_total", map[string]string{"connector": "entra"})
	require.Equal(t, float64(s.envs[0].Count(t, `SELECT count(*) FROM evidence`)), ingested)
	require.GreaterOrEqual(t, m.value(t, "attest_evidence_deduplicated_total", map[string]string{"connector": "entra", "dataset": "users"}),
		float64(len(s.sim.Tenant(entrasim.DefaultTenantID).Users())))

	// Connections by state, open alerts, computed at scrape time.
	for state, want := range map[string]float64{"fresh": 1, "awaiting": 1, "stale": 0, "needs_reauth": 0, "failing": 0} {
		require.Equal(t, want, m.value(t, "attest_connections", map[string]string{"state": state}), state)
	}
	for _, kind := range []string{"stale", "needs_reauth", "sync_failing"} {
		require.Equal(t, 0.0, m.value(t, "attest_alerts_open", map[string]string{"kind": kind}), kind)
	}
	require.Equal(t, 1.0, m.value(t, "attest_state_scrape_ok", nil))

	// River: queue depth by queue and state (nothing left waiting), job
	// outcomes by queue and kind.
	require.Contains(t, m.labelValues("attest_river_jobs", "queue"), jobs.QueueSync)
	require.Equal(t, 0.0, m.value(t, "attest_river_jobs", map[string]string{"queue": jobs.QueueSync, "state": "available"}))

	// The database pool.
	require.Equal(t, float64(s.maxConns), m.value(t, "attest_db_pool_max_connections", nil))
	require.Greater(t, m.value(t, "attest_db_pool_acquires_total", nil), 0.0)
	for _, state := range []string{"acquired", "idle", "constructing"} {
		_, ok := m.sum("attest_db_pool_connections", map[string]string{"state": state})
		require.True(t, ok, state)
	}

	// No label holds tenant data: not the organization, not an email.
	forbidden := []string{"@", entrasim.DefaultTenantID}
	for _, e := range s.envs {
		forbidden = append(forbidden, e.Org.Name, e.Org.Slug, e.Org.ID.String(), e.Owner.Email)
	}
	for _, x := range m {
		for k, v := range x.labels {
			for _, bad := range forbidden {
				require.NotContains(t, strings.ToLower(v), strings.ToLower(bad), "%s{%s=%q}", x.name, k, v)
			}
		}
	}
}
