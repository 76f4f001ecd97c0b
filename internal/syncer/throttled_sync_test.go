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
