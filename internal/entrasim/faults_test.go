package entrasim_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/attesthq/attest/internal/entrasim"
)

func TestFaultsInOrder(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	tok := b.login(t).AccessToken
	b.tenant.InjectFault(entrasim.Fault{Dataset: entrasim.DatasetUsers, Status: http.StatusTooManyRequests, RetryAfter: "0.05"})
	b.tenant.InjectFault(entrasim.Fault{Dataset: entrasim.DatasetUsers, Status: http.StatusServiceUnavailable, Times: 2})
	b.tenant.InjectFault(entrasim.Fault{Dataset: entrasim.DatasetUsers, Malformed: true})
	b.tenant.InjectFault(entrasim.Fault{Dataset: entrasim.DatasetUsers, Delay: 50 * time.Millisecond})
	b.tenant.InjectFault(entrasim.Fault{Dataset: entrasim.DatasetUsers, Status: http.StatusGatewayTimeout})
	u := b.graphURL("/users?$top=5")

	resp, body := b.get(t, tok, u)
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	require.Equal(t, "0.05", resp.Header.Get("Retry-After"))
	require.Equal(t, "TooManyRequests", decodeGraphErr(t, body).Error.Code)
	for range 2 {
		resp, body = b.get(t, tok, u)
		require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		require.Empty(t, resp.Header.Get("Retry-After"))
		require.Equal(t, "serviceNotAvailable", decodeGraphErr(t, body).Error.Code)
	}
	resp, body = b.get(t, tok, u)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.False(t, json.Valid(body), "malformed page")
	start := time.Now()
	b.getPage(t, tok, u)
	require.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
	resp, body = b.get(t, tok, u)
	require.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
	require.Equal(t, "timeout", decodeGraphErr(t, body).Error.Code)
	b.getPage(t, tok, u)

	st := b.tenant.Stats()
	require.Equal(t, 1, st.Families[entrasim.FamilyDirectory].TooManyRequests)
	require.Equal(t, 2, st.Families[entrasim.FamilyDirectory].ServiceUnavailable)
	require.Equal(t, 7, st.Datasets[entrasim.DatasetUsers])
}

func TestFaultOnPage(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	tok := b.login(t).AccessToken
	b.tenant.InjectFault(entrasim.Fault{Dataset: entrasim.DatasetSignIns, Status: http.StatusInternalServerError, Page: 1})
	b.getPage(t, tok, b.graphURL("/auditLogs/signIns?$top=10"))
	first := b.getPage(t, tok, b.graphURL("/auditLogs/signIns?$top=10")) // page 0 again: the fault waits for page 1
	resp, body := b.get(t, tok, first.NextLink)
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	require.Equal(t, "generalException", decodeGraphErr(t, body).Error.Code)
	require.NotEmpty(t, b.getPage(t, tok, first.NextLink).Value, "the retry succeeds")
}

func TestFaultDelayHonoursCancellation(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	tok := b.login(t).AccessToken
	reached := make(chan struct{}, 1)
	b.tenant.InjectFault(entrasim.Fault{Dataset: entrasim.DatasetPolicies, Delay: time.Minute, Reached: reached})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-reached // the request is being held: give up on it
		cancel()
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.graphURL("/identity/conditionalAccess/policies"), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	start := time.Now()
	_, err = b.client.Do(req)
	require.ErrorIs(t, err, context.Canceled)
	require.Less(t, time.Since(start), 10*time.Second, "the delay ended with the request")
	b.getPage(t, tok, b.graphURL("/identity/conditionalAccess/policies"))
}

func TestTokenFaults(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	tok := b.login(t)
	b.tenant.InjectFault(entrasim.Fault{Dataset: entrasim.DatasetToken, Status: http.StatusServiceUnavailable, RetryAfter: "1"})
	b.tenant.InjectFault(entrasim.Fault{Dataset: entrasim.DatasetToken, Malformed: true})
	refresh := func() error {
		_, err := b.conf.TokenSource(context.Background(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
		return err
	}
	re, te := retrieveErr(t, refresh())
	require.Equal(t, http.StatusServiceUnavailable, re.Response.StatusCode)
	require.Equal(t, "1", re.Response.Header.Get("Retry-After"))
	requireTokenError(t, te, "temporarily_unavailable", 90033)
	require.Error(t, refresh(), "malformed token answer")
	require.NoError(t, refresh())
	st := b.tenant.Stats()
	require.Equal(t, 1, st.Families[entrasim.FamilyLogin].ServiceUnavailable)
	require.Equal(t, 4, st.Datasets[entrasim.DatasetToken])
}
