package main

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/testdb"
	"github.com/attesthq/attest/internal/webtest"
)

// TestReplicasBehindPgBouncer runs a web process and a jobs process whose
// application connections go through PgBouncer in transaction mode (with
// migrations direct): an owner signs in, connects the simulated tenant over
// HTTP, the jobs process syncs, the dashboard and a CSV export answer; then
// the jobs process is killed in the middle of a sync and its replacement
// rescues the job, all through the pooler.
func TestReplicasBehindPgBouncer(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	pooled := startPgBouncer(t, tdb.AppURL)
	admin := adminConn(t, tdb)
	count := func(query string, args ...any) int {
		var n int
		require.NoError(t, admin.QueryRow(context.Background(), query, args...).Scan(&n))
		return n
	}
	// Session parameters cannot ride through the pooler: the login role
	// carries the timeouts, as the README says.
	login, err := url.Parse(tdb.AppURL)
	require.NoError(t, err)
	_, err = admin.Exec(context.Background(), "ALTER ROLE "+pgx.Identifier{login.User.Username()}.Sanitize()+" SET statement_timeout = '1min'")
	require.NoError(t, err)
	through, err := pgx.Connect(context.Background(), pooled)
	require.NoError(t, err)
	var timeout string
	require.NoError(t, through.QueryRow(context.Background(), "SHOW statement_timeout").Scan(&timeout))
	require.Equal(t, "1min", timeout, "the role's default reaches pooled server connections")
	require.NoError(t, through.Close(context.Background()))
	seedE2EOrg(t, tdb.Pool, clock.Real{})

	addr := freeLoopbackAddr(t)
	base := "http://" + addr
	sim := entrasim.New(entrasim.Options{BasePath: "/sim", Seed: 7,
		Tenants: []entrasim.TenantSpec{entrasim.DefaultTenant(base + "/api/integrations/entra/callback")}})
	simSrv := httptest.NewServer(sim)
	t.Cleanup(simSrv.Close)

	env := map[string]string{
		"DATABASE_URL":            tdb.URL, // direct: migrations need a session
		"ATTEST_APP_DATABASE_URL": pooled,
		"ATTEST_DB_POOLER":        "pgbouncer",
		"ATTEST_BASE_URL":         base,
		"ATTEST_SESSION_KEYS":     "pgbouncer-test-session-key-0123456789abcdef",
		"ATTEST_MASTER_KEY_FILE":  filepath.Join(t.TempDir(), "master.key"),
		"ATTEST_ENTRA_LOGIN_URL":  simSrv.URL + "/sim/login",
		"ATTEST_ENTRA_GRAPH_URL":  simSrv.URL + "/sim/graph",
		"ATTEST_LOG_FORMAT":       "json",
		"ATTEST_SYNC_TIMEOUT":     "15s",
		"ATTEST_JOB_RESCUE_AFTER": "16s",
	}
	web := startReplica(t, "web", merge(env, map[string]string{"ATTEST_ROLE": "web", "ATTEST_ADDR": addr}))
	worker := startReplica(t, "jobs", merge(env, map[string]string{"ATTEST_ROLE": "jobs", "ATTEST_ADDR": "127.0.0.1:0"}))
	dump := jobsDump(t, admin)
	waitFor(t, 60*time.Second, "the web process to serve", func() bool { _, a := web.state(); return a != "" }, dump, web)

	c := webtest.NewClient(t, base)
	c.Login(e2eOwnerEmail, e2eOwnerPassword)
	connPath := connectThroughSimulator(t, c, simSrv.URL)
	waitFor(t, 90*time.Second, "the first sync", func() bool {
		return count(`SELECT count(*) FROM connector_runs WHERE status = 'succeeded'`) == 1
	}, dump, web, worker)
	require.Equal(t, 0, count(`SELECT count(*) FROM connector_runs WHERE status <> 'succeeded'`))

	dash := c.Get("/o/acme/")
	require.Equal(t, http.StatusOK, dash.StatusCode, dash.Text())
	require.Equal(t, "1", strings.TrimSpace(dash.Doc(t).Find(`[data-testid="health-fresh"] .state-count`).Text()))
	export := c.Get("/o/acme/evidence/export?kind=entra.user")
	require.Equal(t, http.StatusOK, export.StatusCode, export.Text())
	rows, err := csv.NewReader(strings.NewReader(export.Text())).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+count(`SELECT count(*) FROM evidence WHERE kind = 'entra.user'`), "a header and every user record")

	// The next sync hangs on users; the jobs process dies under it and its
	// replacement rescues the job through the pooler.
	sim.Tenant(entrasim.DefaultTenantID).InjectFault(entrasim.Fault{Dataset: entrasim.DatasetUsers, Delay: 10 * time.Minute})
	page := c.Get(connPath)
	action, ok := page.Doc(t).Find(`[data-testid="sync-now"]`).Closest("form").Attr("action")
	require.True(t, ok, "a Sync now form")
	require.Equal(t, http.StatusSeeOther, c.Post(action, nil).StatusCode)
	waitFor(t, 60*time.Second, "the sync to hang in the jobs process", func() bool {
		return count(`SELECT count(*) FROM connector_runs WHERE status = 'running'`) == 1
	}, dump, worker)
	require.NoError(t, worker.cmd.Process.Signal(syscall.SIGKILL))
	<-worker.exited
	replacement := startReplica(t, "jobs-2", merge(env, map[string]string{"ATTEST_ROLE": "jobs", "ATTEST_ADDR": "127.0.0.1:0"}))
	// River records a completion asynchronously: wait for the job itself.
	// On a loaded machine the rescued attempt may run out of its time and
	// be retried once more; what matters is that it completes.
	waitFor(t, 120*time.Second, "the rescued sync", func() bool {
		return count(`SELECT count(*) FROM river_job WHERE kind = 'sync_connection' AND state = 'completed' AND attempt >= 2`) == 1
	}, dump, replacement)
	require.Equal(t, 2, count(`SELECT count(*) FROM connector_runs WHERE status = 'succeeded'`))
	require.Equal(t, 1, count(`SELECT count(*) FROM connector_runs WHERE status = 'failed' AND error_message LIKE 'interrupted%'`),
		"the killed run is closed as interrupted")
}

// connectThroughSimulator runs the connect wizard with the custom endpoints
// that point at the simulator, consents there as the tenant's administrator,
// follows the callback and returns the new connection's path.
func connectThroughSimulator(t *testing.T, c *webtest.Client, simURL string) string {
	t.Helper()
	c.Get("/o/acme/integrations/entra/connect")
	r := c.Post("/o/acme/integrations/entra/connect", url.Values{"cloud": {"custom"}, "tenant": {entrasim.DefaultTenantID},
		"client_id": {entrasim.DefaultClientID}, "client_secret": {entrasim.DefaultClientSecret}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	authorize := r.Header.Get("Location")
	require.True(t, strings.HasPrefix(authorize, simURL+"/sim/login/"), authorize)

	browser := webtest.NewClient(t, simURL)
	page := browser.Get(strings.TrimPrefix(authorize, simURL))
	require.Equal(t, http.StatusOK, page.StatusCode, page.Text())
	doc := page.Doc(t)
	action, _ := doc.Find("form").Attr("action")
	flow, _ := doc.Find(`input[name="flow"]`).Attr("value")
	consent := browser.PostRaw(strings.TrimPrefix(action, simURL), url.Values{"flow": {flow}, "decision": {"accept"}}, nil)
	require.Contains(t, []int{http.StatusFound, http.StatusSeeOther}, consent.StatusCode, consent.Text())

	callback := c.Get(strings.TrimPrefix(consent.Location(), c.Base))
	require.Equal(t, http.StatusSeeOther, callback.StatusCode, callback.Text())
	require.True(t, strings.HasPrefix(callback.Location(), "/o/acme/connections/"), callback.Location())
	return callback.Location()
}
