package jobs_test

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/alert"
	"github.com/attesthq/attest/internal/secret"
	"github.com/attesthq/attest/internal/synctest"
	"github.com/attesthq/attest/jobs"
)

const webhookSecret = "whsec-test-0123456789abcdef"

// receiver is a webhook endpoint that verifies signatures, fails the first
// request it sees, and records each delivery it accepts.
type receiver struct {
	mu       sync.Mutex
	requests int
	accepted map[string]int
	payloads chan alert.Payload
	badSigs  int
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	ts, err := strconv.ParseInt(req.Header.Get("X-Attest-Timestamp"), 10, 64)
	want := alert.Sign([]byte(webhookSecret), ts, body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	if err != nil || !hmac.Equal([]byte(want), []byte(req.Header.Get("X-Attest-Signature"))) {
		r.badSigs++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if r.requests == 1 {
		http.Error(w, "receiver is warming up", http.StatusInternalServerError)
		return
	}
	var p alert.Payload
	if err := json.Unmarshal(body, &p); err != nil || p.Delivery != req.Header.Get("X-Attest-Delivery") {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	r.accepted[p.Delivery]++
	r.payloads <- p
}

func (r *receiver) counts() (requests, badSigs int, accepted map[string]int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for k, v := range r.accepted {
		out[k] = v
	}
	return r.requests, r.badSigs, out
}

func TestStaleAlertIsDeliveredOnceDespiteAFailedFirstAttempt(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	rec := &receiver{accepted: map[string]int{}, payloads: make(chan alert.Payload, 10)}
	hook := httptest.NewServer(rec)
	t.Cleanup(hook.Close)
	client, queue := alertingClient(t, e, hook)
	conn := e.Connect(t)
	_, err := e.Sync(t, conn)
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	require.NoError(t, client.Start(ctx))
	defer func() { require.NoError(t, client.Stop(context.Background())) }()

	// Just under the threshold nothing opens; just past it, exactly one alert.
	e.Clock.Advance(6*time.Hour - time.Minute)
	opened, err := jobs.ReconcileAlerts(ctx, e.DB.Pool, e.Clock, queue)
	require.NoError(t, err)
	require.Zero(t, opened)
	e.Clock.Advance(2 * time.Minute)
	for i, want := range []int{1, 0, 0} {
		opened, err = jobs.ReconcileAlerts(ctx, e.DB.Pool, e.Clock, queue)
		require.NoError(t, err)
		require.Equal(t, want, opened, "pass %d", i)
	}
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM alerts WHERE kind = 'stale' AND resolved_at IS NULL`))

	first := waitPayload(t, rec)
	require.Equal(t, "alert.opened", first.Event)
	require.Equal(t, "stale", first.Alert.Kind)
	require.Equal(t, e.Org.ID.String(), first.Organization.ID)
	require.Equal(t, conn.String(), first.Alert.ConnectionID)

	// A good sync resolves it, once, and that is delivered too.
	_, err = e.Sync(t, conn)
	require.NoError(t, err)
	resolved := waitPayload(t, rec)
	require.Equal(t, "alert.resolved", resolved.Event)
	require.Equal(t, first.Alert.ID, resolved.Alert.ID)
	require.NotNil(t, resolved.Alert.ResolvedAt)
	opened, err = jobs.ReconcileAlerts(ctx, e.DB.Pool, e.Clock, queue)
	require.NoError(t, err)
	require.Zero(t, opened)

	requests, badSigs, accepted := rec.counts()
	require.Zero(t, badSigs)
	require.Equal(t, 3, requests, "one failed attempt, then one request per event")
	require.Equal(t, map[string]int{first.Delivery: 1, resolved.Delivery: 1}, accepted)
	// The delivery log holds every attempt, the failure first (the worker
	// writes a row just after its request returns).
	require.Eventually(t, func() bool {
		return e.Count(t, `SELECT count(*) FROM alert_deliveries WHERE status_code = 200 AND error = ''`) == 2
	}, 30*time.Second, 10*time.Millisecond)
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM alert_deliveries WHERE attempt = 1 AND status_code = 500 AND error <> ''`))
	require.Equal(t, 3, e.Count(t, `SELECT count(*) FROM alert_deliveries`))
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'alert.open'`))
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'alert.resolve'`))
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM alerts WHERE resolved_at IS NOT NULL`))
}

// alertingClient is a working River client (without the periodic jobs) that
// delivers alert events to hook; syncs reconcile alerts through it.
func alertingClient(t *testing.T, e *synctest.Env, hook *httptest.Server) (*river.Client[pgx.Tx], *jobs.Queue) {
	t.Helper()
	client, queue, err := jobs.NewClient(jobs.Deps{Pool: e.DB.Pool, Clock: e.Clock, Log: quiet, Syncer: e.Syncer, Registry: e.Registry,
		Webhook: &alert.Webhook{URL: hook.URL, Secret: secret.New(webhookSecret), Client: hook.Client()}},
		jobs.Config{SyncWorkers: 1, SyncTimeout: time.Minute, RescueAfter: 2 * time.Minute, Work: true})
	require.NoError(t, err)
	e.Syncer.Hooks = alert.SyncHook{Notify: queue, Now: e.Clock.Now}
	return client, queue
}

func waitPayload(t *testing.T, rec *receiver) alert.Payload {
	t.Helper()
	select {
	case p := <-rec.payloads:
		return p
	case <-time.After(30 * time.Second):
		t.Fatal("the webhook was never delivered")
		return alert.Payload{}
	}
}

func TestReceiverDownNeverBlocksSyncs(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	// A receiver that hangs until the test ends.
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	t.Cleanup(hang.Close)
	client, queue := alertingClient(t, e, hang)
	e.Services.Syncs = queue
	events, stop := client.Subscribe(river.EventKindJobCompleted)
	defer stop()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	require.NoError(t, client.Start(ctx))
	defer func() { require.NoError(t, client.Stop(context.Background())) }()
	defer close(release)

	// Evidence goes stale: the alert's delivery hangs, yet a sync still
	// runs to completion.
	conn := e.Connect(t)
	waitCompleted(t, events, 1)
	e.Clock.Advance(7 * time.Hour)
	opened, err := jobs.ReconcileAlerts(ctx, e.DB.Pool, e.Clock, queue)
	require.NoError(t, err)
	require.Equal(t, 1, opened)
	require.Eventually(t, func() bool {
		return e.Count(t, `SELECT count(*) FROM river_job WHERE kind = 'deliver_alert' AND state = 'running'`) == 1
	}, 30*time.Second, 10*time.Millisecond)
	require.True(t, insert(t, e, queue, jobs.SyncConnectionArgs{OrgID: e.Org.ID, ConnectionID: conn, Trigger: "manual"}))
	waitCompleted(t, events, 1)
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM alerts WHERE resolved_at IS NOT NULL`))
}

func waitCompleted(t *testing.T, events <-chan *river.Event, n int) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for n > 0 {
		select {
		case ev := <-events:
			if ev.Job.Kind == (jobs.SyncConnectionArgs{}).Kind() {
				n--
			}
		case <-deadline:
			t.Fatal("the sync never completed")
		}
	}
}
