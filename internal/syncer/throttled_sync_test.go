package syncer_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/syncer"
	"github.com/attesthq/attest/internal/synctest"
)

// TestThrottledSyncDrawsNo429AtTheDocumentedLimits syncs a tenant large
// enough to need more than one reports window (four pages of users with
// signInActivity, four of registration details, one of sign-ins: nine
// reports requests at five per 10 s) against a simulator that enforces the
// documented limits exactly, pacing as production does.
func TestThrottledSyncDrawsNo429AtTheDocumentedLimits(t *testing.T) {
	t.Parallel()
	spec := entrasim.DefaultTenant()
	spec.Size.Users = 2000
	e := synctest.New(t, synctest.Options{Tenant: spec, Throttle: true, Limits: &entra.DocumentedLimits})
	conn := e.Connect(t)
	out, err := e.Sync(t, conn)
	require.NoError(t, err)
	require.Equal(t, syncer.StatusSucceeded, out.Status, out.Error)

	st := e.Tenant().Stats()
	var reports []time.Time
	for _, r := range st.Requests {
		require.NotEqual(t, http.StatusTooManyRequests, r.Status, "%s at %s", r.Dataset, r.At)
		if slices.Contains(r.Families, entrasim.FamilyReports) {
			reports = append(reports, r.At)
		}
	}
	require.Len(t, reports, 9)
	require.GreaterOrEqual(t, reports[5].Sub(reports[0]), 10*time.Second, "the sixth waited for the window")
	for _, d := range out.Datasets {
		require.Zero(t, d.Throttled, d.Dataset)
	}
}

// TestA429PausesItsWholeFamilyForRetryAfter answers the first sign-ins
// request with 429 and a Retry-After longer than the reports window: the
// users and registration collectors, in the same family, send nothing new
// until it has passed (the window alone would let them go at 10 s).
func TestA429PausesItsWholeFamilyForRetryAfter(t *testing.T) {
	t.Parallel()
	spec := entrasim.DefaultTenant()
	spec.Size.Users = 2000
	retry := synctest.FastRetry
	retry.Budget = time.Minute
	e := synctest.New(t, synctest.Options{Tenant: spec, Throttle: true, Limits: &entra.DocumentedLimits, Retry: &retry})
	conn := e.Connect(t)
	const retryAfter = 12500 * time.Millisecond
	e.Tenant().InjectFault(entrasim.Fault{Dataset: entrasim.DatasetSignIns, Status: http.StatusTooManyRequests, RetryAfter: "12.5", Times: 1})
	out, err := e.Sync(t, conn)
	require.NoError(t, err)
	require.Equal(t, syncer.StatusSucceeded, out.Status, out.Error)

	var throttled []entrasim.Request
	var reports []entrasim.Request
	for _, r := range e.Tenant().Stats().Requests {
		if r.Status == http.StatusTooManyRequests {
			throttled = append(throttled, r)
		}
		if slices.Contains(r.Families, entrasim.FamilyReports) {
			reports = append(reports, r)
		}
	}
	require.Len(t, throttled, 1, "only the injected 429")
	got := throttled[0].At
	// Requests sent before the 429 came back arrive within moments of it;
	// everything later must wait out the Retry-After.
	inFlight := got.Add(time.Second)
	for _, r := range reports {
		if r.At.After(inFlight) {
			require.False(t, r.At.Before(got.Add(retryAfter)), "%s request %s after the 429, inside its Retry-After", r.Dataset, r.At.Sub(got))
		}
	}
	require.Greater(t, len(reports), 6, "some requests had to wait")
}
