package entra

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/secret"
)

// An absurd expires_in from the token endpoint is capped before it becomes
// a duration: multiplied as it came, it wrapped around into an expiry in the
// past, and every request refreshed the token again.
func TestAbsurdTokenLifetimeIsCappedNotWrapped(t *testing.T) {
	t.Parallel()
	var refreshes atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		refreshes.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"at","expires_in":9223372036854775807}`))
	}))
	t.Cleanup(srv.Close)
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	ts := &tokenSource{http: srv.Client(), settings: Settings{LoginRoot: srv.URL, GraphRoot: srv.URL, Tenant: "t", ClientID: "c"},
		creds: connector.Credentials{Secret: secret.New("s"), Token: secret.New("r")}, now: func() time.Time { return now }}
	for range 3 {
		token, err := ts.access(context.Background())
		require.NoError(t, err)
		require.Equal(t, "at", token)
	}
	require.Equal(t, int32(1), refreshes.Load())
	require.Equal(t, now.Add(24*time.Hour), ts.expiry)
}
