package entrasim_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/entrasim"
)

func TestThrottleReports(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{Throttle: true})
	tok := b.login(t).AccessToken
	u := b.graphURL("/reports/authenticationMethods/userRegistrationDetails")
	// Throttling runs on real time: the first of the five leaves the window
	// 10 s after it arrived, so the Retry-After is 10 s less the time the
	// requests took, however slow the machine.
	start := time.Now()
	for range 5 {
		resp, _ := b.get(t, tok, u)
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	// signInActivity reads share the reports bucket.
	resp, body := b.get(t, tok, b.graphURL("/users?$select=id,signInActivity"))
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	ra := resp.Header.Get("Retry-After")
	require.Contains(t, ra, ".", "Retry-After is fractional seconds")
	secs, err := strconv.ParseFloat(ra, 64)
	require.NoError(t, err)
	elapsed := time.Since(start).Seconds()
	require.GreaterOrEqual(t, secs, 10.0-elapsed-0.001, "five per 10 s: room when the first of the five leaves the window")
	require.LessOrEqual(t, secs, 10.0)
	e := decodeGraphErr(t, body)
	require.Equal(t, "TooManyRequests", e.Error.Code)
	require.Equal(t, "Please retry again later.", e.Error.Message)
	require.Equal(t, "429", e.Error.InnerError["status"])

	resp, _ = b.get(t, tok, b.graphURL("/auditLogs/signIns"))
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	st := b.tenant.Stats()
	require.Equal(t, 7, st.Families[entrasim.FamilyReports].Requests)
	require.Equal(t, 2, st.Families[entrasim.FamilyReports].TooManyRequests)
	require.Equal(t, 5, st.Datasets[entrasim.DatasetRegistrations])

	// Every request is recorded with its families and answer.
	var graph []entrasim.Request
	for _, r := range st.Requests {
		if r.Dataset != entrasim.DatasetToken {
			graph = append(graph, r)
		}
	}
	require.Len(t, graph, 7)
	activity := graph[5]
	require.Equal(t, entrasim.DatasetUsers, activity.Dataset)
	require.Equal(t, []entrasim.Family{entrasim.FamilyReports, entrasim.FamilySignInActivity}, activity.Families)
	require.Equal(t, http.StatusTooManyRequests, activity.Status)
	require.Equal(t, ra, activity.RetryAfter)
	require.Equal(t, http.StatusOK, graph[0].Status)
	require.False(t, graph[6].At.Before(graph[0].At))

	// The directory is metered in resource units and not throttled here.
	resp, _ = b.get(t, tok, b.graphURL("/users?$select=id"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "1", resp.Header.Get("x-ms-resource-unit"))
	resp, _ = b.get(t, tok, b.graphURL("/users"))
	require.Equal(t, "2", resp.Header.Get("x-ms-resource-unit"))
}

func TestThrottleProtection(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{Throttle: true})
	tok := b.login(t).AccessToken
	resp, _ := b.get(t, tok, b.graphURL("/identity/conditionalAccess/policies"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	for _, path := range []string{"/identityProtection/riskyUsers", "/identity/conditionalAccess/policies"} {
		resp, body := b.get(t, tok, b.graphURL(path))
		require.Equal(t, http.StatusTooManyRequests, resp.StatusCode, path)
		require.Empty(t, resp.Header.Values("Retry-After"), "identity protection and CA send no Retry-After")
		require.Equal(t, "TooManyRequests", decodeGraphErr(t, body).Error.Code)
	}
	require.Equal(t, 2, b.tenant.Stats().Families[entrasim.FamilyProtection].TooManyRequests)
}

func TestNoThrottleByDefault(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	tok := b.login(t).AccessToken
	for range 12 {
		for _, path := range []string{"/auditLogs/signIns?$top=10", "/identityProtection/riskyUsers", "/users?$select=id,signInActivity"} {
			resp, _ := b.get(t, tok, b.graphURL(path))
			require.Equal(t, http.StatusOK, resp.StatusCode, path)
			require.False(t, strings.Contains(resp.Header.Get("Retry-After"), "."))
		}
	}
	require.Zero(t, b.tenant.Stats().Families[entrasim.FamilyReports].TooManyRequests)
}
