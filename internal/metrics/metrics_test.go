package metrics_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/metrics"
)

func TestNilSetDoesNothing(t *testing.T) {
	t.Parallel()
	var s *metrics.Set
	s.ObserveHTTP("GET", "/login", 200, time.Millisecond)
	s.ObserveSync("entra", "succeeded", time.Second)
	s.ObserveEvidence("entra", "users", 3, 1)
	s.Provider("entra").Request("reports")
	s.Provider("entra").Throttled("reports")
	s.Provider("entra").Retry("reports")
	s.WatchJobs(nil)
}

func TestClientsCannotMintLabelValues(t *testing.T) {
	t.Parallel()
	s := metrics.New(metrics.Options{})
	s.ObserveHTTP("BREW", "", 418, time.Millisecond)
	s.ObserveHTTP("GET", "/o/:org/audit", 200, time.Millisecond)
	s.ObserveEvidence("entra", "users", 10, 4)

	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`attest_http_requests_total{method="other",route="unmatched",status="418"} 1`,
		`attest_http_requests_total{method="GET",route="/o/:org/audit",status="200"} 1`,
		`attest_http_request_duration_seconds_count{method="GET",route="/o/:org/audit"} 1`,
		`attest_evidence_ingested_total{connector="entra",dataset="users"} 4`,
		`attest_evidence_deduplicated_total{connector="entra",dataset="users"} 6`,
	} {
		require.Contains(t, body, want)
	}
	require.NotContains(t, body, "BREW")
	// Without a pool there are no scrape-time gauges to fail.
	require.False(t, strings.Contains(body, "attest_state_scrape_ok"))
}
