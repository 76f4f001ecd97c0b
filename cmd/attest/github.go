package main

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/config"
	"github.com/attesthq/attest/internal/connector/github"
	"github.com/attesthq/attest/internal/connector/pace"
	"github.com/attesthq/attest/internal/githubsim"
)

// githubSimulatorPath is where the GitHub simulator is served when enabled.
const githubSimulatorPath = "/_githubsim"

// newGitHub returns the GitHub connector and, when the configuration asks
// for it, the simulator it offers as a "Simulated organization" (nil
// otherwise). Both run on the application's clock: the simulator checks the
// connector's JWTs and dates its demo data against it.
func newGitHub(cfg config.Config, clk clock.Clock, log *slog.Logger, hc *http.Client, observe pace.Observer) (*github.Connector, *githubsim.Simulator) {
	if hc == nil {
		hc = &http.Client{Timeout: 2 * time.Minute}
	}
	gh := github.New(hc)
	gh.Clock, gh.Observer = appClock{clk}, observe
	if !cfg.GitHubSimulator {
		return gh, nil
	}
	sim := githubsim.New(githubsim.Options{BasePath: githubSimulatorPath, Clock: clk, Logger: log})
	base := cfg.URL("")
	gh.Simulated = &github.Simulated{APIRoot: sim.APIRoot(base), WebRoot: sim.WebRoot(base), Org: githubsim.DefaultOrgLogin}
	return gh, sim
}

// appClock is the application's clock as the GitHub connector's: a pause
// waits on a timer for as long as the application's clock says is left.
type appClock struct{ clock.Clock }

// SleepUntil returns once t is reached on the application's clock, as far
// as a timer can tell, or when ctx is done.
func (c appClock) SleepUntil(ctx context.Context, t time.Time) error {
	timer := time.NewTimer(t.Sub(c.Now()))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
