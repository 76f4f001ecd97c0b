package github

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/githubsim"
)

func TestThePlatformValidatesAndRunsTheConnector(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	c := e.connector()
	require.NoError(t, connector.Validate(c))
	raw, err := json.Marshal(e.settings)
	require.NoError(t, err)
	w := newMemWriter()
	res, err := connector.Run(t.Context(), c, connector.SyncRequest{Settings: raw, Credentials: connector.Credentials{Secret: e.key},
		Params: connector.StoredParams(c.Checks(), nil), Now: e.clock.Now()}, w.writer)
	require.NoError(t, err)
	for _, d := range res.Datasets {
		require.Equal(t, connector.DatasetOK, d.Status, "%s: %s", d.Dataset, d.Error)
		require.True(t, w.finished[d.Dataset], "the platform finishes a dataset read whole")
	}
	status := map[string]connector.CheckStatus{}
	for _, chk := range res.Checks {
		status[chk.Key] = chk.Status
	}
	require.Equal(t, map[string]connector.CheckStatus{CheckOrgRequires2FA: connector.CheckPass, CheckNoOutsideAdmins: connector.CheckFail,
		CheckReviewRequired: connector.CheckFail, CheckNoForcePushDelete: connector.CheckFail, CheckAlertsResolved: connector.CheckFail}, status)

	e.sim.Uninstall(githubsim.DefaultInstallationID)
	_, err = connector.Run(t.Context(), c, connector.SyncRequest{Settings: raw, Credentials: connector.Credentials{Secret: e.key}, Now: e.clock.Now()}, w.writer)
	require.True(t, connector.IsNeedsReauth(err), "an uninstalled App needs re-authorization: %v", err)
}

// countingObserver counts what the connector reports, by endpoint.
type countingObserver struct {
	mu       sync.Mutex
	requests map[string]int
}

func (o *countingObserver) Request(family string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.requests[family]++
}
func (o *countingObserver) Throttled(string) {}
func (o *countingObserver) Retry(string)     {}

// TestASyncReportsItsRequestsByEndpoint: the metrics see every request a
// sync sends, labelled by the documented endpoint (a bounded set).
func TestASyncReportsItsRequestsByEndpoint(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	c := e.connector()
	obs := &countingObserver{requests: map[string]int{}}
	c.Observer = obs
	raw, err := json.Marshal(e.settings)
	require.NoError(t, err)
	before := e.sim.Requests()
	_, err = connector.Run(t.Context(), c, connector.SyncRequest{Settings: raw, Credentials: connector.Credentials{Secret: e.key},
		Params: connector.StoredParams(c.Checks(), nil), Now: e.clock.Now()}, newMemWriter().writer)
	require.NoError(t, err)
	after := e.sim.Requests()
	require.Positive(t, obs.requests["GET /orgs/{org}/repos"])
	for route, n := range obs.requests {
		require.Equal(t, after[route]-before[route], n, "%s: every request the simulator answered was reported, under its documented route", route)
	}
}
