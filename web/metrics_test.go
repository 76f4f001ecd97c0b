package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The metrics have a listener of their own (ATTEST_METRICS_ADDR, tested in
// cmd/attest); the public application never serves them.
func TestPublicServerHasNoMetrics(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.owner(t)
	for _, path := range []string{"/metrics", "/metrics/", "/o/acme/metrics", "/ops/metrics"} {
		r := owner.Follow(path)
		require.Equal(t, http.StatusNotFound, r.StatusCode, path)
		require.NotContains(t, r.Text(), "attest_http_requests_total", path)
	}
	// A visitor is sent to sign in, as for any unknown path.
	r := b.client(t).Get("/metrics")
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	require.True(t, strings.HasPrefix(r.Location(), "/login"), r.Location())
}
