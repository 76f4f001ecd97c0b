package github

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/githubsim"
	"github.com/attesthq/attest/internal/secret"
)

// testStart is the fake clock's start.
var testStart = time.Date(2026, time.December, 4, 9, 0, 0, 0, time.UTC)

// fakeClock is a Clock whose pauses move the time instead of sleeping, and
// records them.
type fakeClock struct {
	*clock.Fake
	mu     sync.Mutex
	sleeps []time.Duration
}

func (f *fakeClock) SleepUntil(ctx context.Context, t time.Time) error {
	f.mu.Lock()
	f.sleeps = append(f.sleeps, t.Sub(f.Now()))
	f.mu.Unlock()
	if t.After(f.Now()) {
		f.Set(t)
	}
	return ctx.Err()
}

func (f *fakeClock) pauses() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// env is a simulator behind a real HTTP server, on a fake clock shared
// with the connector.
type env struct {
	sim      *githubsim.Simulator
	srv      *httptest.Server
	clock    *fakeClock
	settings Settings
	key      secret.String
}

// newEnv starts a simulator; opts.Clock and BasePath get test values.
func newEnv(t testing.TB, opts githubsim.Options) *env {
	t.Helper()
	clk := &fakeClock{Fake: clock.NewFake(testStart)}
	opts.Clock = clk
	opts.BasePath = "/_githubsim"
	sim := githubsim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &env{sim: sim, srv: srv, clock: clk, key: secret.New(string(githubsim.PEM(githubsim.DemoKey()))),
		settings: Settings{APIRoot: sim.APIRoot(srv.URL), WebRoot: sim.WebRoot(srv.URL), Org: githubsim.DefaultOrgLogin,
			AppID: githubsim.DefaultAppID, InstallationID: githubsim.DefaultInstallationID}}
}

// connector is the connector on the environment's clock.
func (e *env) connector() *Connector {
	return &Connector{HTTP: e.srv.Client(), Clock: e.clock, Retry: DefaultRetry}
}

// open opens a sync session as the platform would.
func (e *env) open(t testing.TB, params connector.Params, cache Cache) (*Session, error) {
	t.Helper()
	raw, err := json.Marshal(e.settings)
	require.NoError(t, err)
	return e.connector().open(t.Context(), connector.SyncRequest{Settings: raw, Credentials: connector.Credentials{Secret: e.key},
		Params: params, Now: e.clock.Now()}, cache)
}

// session opens a session that must authenticate.
func (e *env) session(t testing.TB) *Session {
	t.Helper()
	s, err := e.open(t, nil, nil)
	require.NoError(t, err)
	return s
}

// secretPEM is a key as the PEM secret the connection stores.
func secretPEM(k *rsa.PrivateKey) secret.String { return secret.New(string(githubsim.PEM(k))) }

// memWriter keeps what a dataset wrote.
type memWriter struct {
	mu       sync.Mutex
	records  map[string][]connector.Record
	finished map[string]bool
}

func newMemWriter() *memWriter {
	return &memWriter{records: map[string][]connector.Record{}, finished: map[string]bool{}}
}

type datasetWriter struct {
	m       *memWriter
	dataset string
}

func (w datasetWriter) Put(_ context.Context, recs []connector.Record) error {
	w.m.mu.Lock()
	defer w.m.mu.Unlock()
	w.m.records[w.dataset] = append(w.m.records[w.dataset], recs...)
	return nil
}

func (w datasetWriter) Finish(context.Context) error {
	w.m.mu.Lock()
	defer w.m.mu.Unlock()
	w.m.finished[w.dataset] = true
	return nil
}

func (m *memWriter) writer(dataset string) connector.DatasetWriter {
	return datasetWriter{m: m, dataset: dataset}
}

// kind returns the payloads of one kind, decoded into T.
func kind[T any](t testing.TB, m *memWriter, k string) []T {
	t.Helper()
	var out []T
	for _, recs := range m.records {
		for _, r := range recs {
			if r.Kind == k {
				var v T
				require.NoError(t, json.Unmarshal(r.Payload, &v))
				out = append(out, v)
			}
		}
	}
	return out
}

// run is one sync as the platform runs it (connector.Run on the platform
// branch): every dataset collected concurrently into its writer, each
// finished when read, and the checks evaluated only when their datasets
// were all read.
type run struct {
	datasets map[string]connector.DatasetResult
	checks   []connector.CheckResult
	w        *memWriter
}

func (e *env) run(t testing.TB, s *Session) run {
	t.Helper()
	out := run{datasets: map[string]connector.DatasetResult{}, w: newMemWriter()}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, d := range datasets {
		wg.Go(func() {
			w := out.w.writer(d.Key)
			got, err := s.Collect(t.Context(), d, w)
			if err == nil {
				err = w.Finish(t.Context())
			}
			r := connector.DatasetResult{Dataset: d.Key, Status: connector.DatasetOK, Fetched: got.Fetched,
				Requests: got.Requests, Throttled: got.Throttled, Retries: got.Retries}
			var de *connector.DatasetError
			var se *connector.SyncError
			switch {
			case err == nil:
			case errors.As(err, &de):
				r.Status, r.ErrorClass, r.Error = connector.DatasetFailed, de.Class, err.Error()
				if de.Unavailable {
					r.Status = connector.DatasetUnavailable
				}
			case errors.As(err, &se):
				r.Status, r.ErrorClass, r.Error = connector.DatasetFailed, se.Class, err.Error()
			default:
				r.Status, r.ErrorClass, r.Error = connector.DatasetFailed, connector.ErrorTransient, err.Error()
			}
			mu.Lock()
			out.datasets[d.Key] = r
			mu.Unlock()
		})
	}
	wg.Wait()
	for _, chk := range (&Connector{}).Checks() {
		read := true
		for _, d := range chk.Datasets {
			read = read && out.datasets[d].Status == connector.DatasetOK
		}
		res := connector.CheckResult{Status: connector.CheckUnknown, Reason: "not read"}
		if read {
			res = s.Evaluate(chk)
		}
		res.Key = chk.Key
		out.checks = append(out.checks, res)
	}
	return out
}

// requireAllRead fails unless every dataset was read.
func (r run) requireAllRead(t testing.TB) {
	t.Helper()
	for _, d := range datasets {
		require.Equal(t, connector.DatasetOK, r.datasets[d.Key].Status, "%s: %s", d.Key, r.datasets[d.Key].Error)
	}
}

// memCache is an in-memory ETag cache.
type memCache struct {
	mu      sync.Mutex
	entries map[string]connector.Validated
}

func (c *memCache) Get(u string) (connector.Validated, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.entries[u]
	return v, ok
}

func (c *memCache) Put(u string, v connector.Validated) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]connector.Validated{}
	}
	c.entries[u] = v
}

// result finds a check's result.
func result(t testing.TB, results []connector.CheckResult, key string) connector.CheckResult {
	t.Helper()
	for _, r := range results {
		if r.Key == key {
			return r
		}
	}
	t.Fatalf("no result for %s", key)
	return connector.CheckResult{}
}

// subjectKeys lists the failing subjects' keys.
func subjectKeys(r connector.CheckResult) []string {
	var out []string
	for _, s := range r.Failing {
		out = append(out, s.Key)
	}
	return out
}
