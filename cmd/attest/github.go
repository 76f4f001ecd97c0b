package main

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/attesthq/attest/internal/config"
	"github.com/attesthq/attest/internal/connector/github"
	"github.com/attesthq/attest/internal/githubsim"
)

// githubSimulatorPath is where the GitHub simulator is served when enabled.
const githubSimulatorPath = "/_githubsim"

// newGitHub returns the GitHub connector and, when the configuration asks
// for it, the simulator it offers as a "Simulated organization" (nil
// otherwise). Both run on the wall clock: the simulator checks the
// connector's JWTs against its own.
func newGitHub(cfg config.Config, log *slog.Logger, hc *http.Client) (*github.Connector, *githubsim.Simulator) {
	if hc == nil {
		hc = &http.Client{Timeout: 2 * time.Minute}
	}
	gh := github.New(hc)
	if !cfg.GitHubSimulator {
		return gh, nil
	}
	sim := githubsim.New(githubsim.Options{BasePath: githubSimulatorPath, Logger: log})
	base := cfg.URL("")
	gh.Simulated = &github.Simulated{APIRoot: sim.APIRoot(base), WebRoot: sim.WebRoot(base), Org: githubsim.DefaultOrgLogin}
	return gh, sim
}
