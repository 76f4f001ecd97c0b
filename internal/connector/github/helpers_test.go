package github

import (
	"context"
	"crypto/rsa"
	"encoding/json"
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

// session opens an installation session against the simulator.
func (e *env) session(t testing.TB) *Session {
	t.Helper()
	s, err := Open(e.srv.Client(), e.settings, e.key, e.clock, DefaultRetry)
	if err != nil {
		t.Fatal(err)
	}
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

// collect runs one collection against the environment.
func (e *env) collect(t testing.TB, s *Session) (Snapshot, *memWriter) {
	t.Helper()
	w := newMemWriter()
	snap := s.Collect(t.Context(), CollectRequest{Writer: w.writer, Now: e.clock.Now()})
	return snap, w
}

// memCache is an in-memory ETag cache.
type memCache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	etag, link string
	body       []byte
}

func (c *memCache) Get(u string) (string, []byte, string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[u]
	return e.etag, e.body, e.link, ok
}

func (c *memCache) Put(u, etag string, body []byte, link string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]cacheEntry{}
	}
	c.entries[u] = cacheEntry{etag: etag, body: body, link: link}
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
