package github

import (
	"context"
	"crypto/rsa"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/attesthq/attest/internal/clock"
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
