package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/synctest"
	"github.com/attesthq/attest/internal/testdb"
)

// replica is one `attest serve` child process and what it logged.
type replica struct {
	name string
	cmd  *exec.Cmd
	mu   sync.Mutex
	// clientID is its River client's id; addr where it listens.
	clientID, addr string
	lines          []string
	// exited closes when the process has exited; err is then its status.
	exited chan struct{}
	err    error
}

func startReplica(t *testing.T, name string, env map[string]string) *replica {
	t.Helper()
	self, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), childArgsEnv+"=serve")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	cmd.Stdout = io.Discard
	require.NoError(t, cmd.Start())
	r := &replica{name: name, cmd: cmd, exited: make(chan struct{})}
	go r.read(stderr)
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-r.exited
	})
	return r
}

// read keeps the log and picks out the River client id and listen address.
func (r *replica) read(rd io.Reader) {
	s := bufio.NewScanner(rd)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		line := s.Text()
		var rec map[string]any
		_ = json.Unmarshal([]byte(line), &rec)
		r.mu.Lock()
		r.lines = append(r.lines, line)
		if id, ok := rec["client_id"].(string); ok && strings.Contains(line, "River client started") {
			r.clientID = id
		}
		if addr, ok := rec["addr"].(string); ok && rec["msg"] == "attest is serving" {
			r.addr = addr
		}
		r.mu.Unlock()
	}
	r.err = r.cmd.Wait()
	close(r.exited)
}

func (r *replica) state() (clientID, addr string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.clientID, r.addr
}

func (r *replica) log() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.lines, "\n")
}

// TestTwoReplicasShareTheWork runs a web+jobs process and a jobs-only process
// against one database: periodic jobs are inserted once, no connection is
// synced by both at once, and when the process running a sync is killed
// with SIGKILL the other rescues the job and finishes it without duplicating
// evidence.
func TestTwoReplicasShareTheWork(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	keyFile := filepath.Join(t.TempDir(), "master.key")
	sim := synctest.NewSimulator(entrasim.DefaultTenant(), false, time.Now)
	simSrv := httptest.NewServer(sim)
	t.Cleanup(simSrv.Close)
	var conns []uuid.UUID
	for range 3 {
		e := synctest.New(t, synctest.Options{DB: tdb, SimulatorURL: simSrv.URL, KeyFile: keyFile, Start: time.Now()})
		conns = append(conns, e.Connect(t))
	}
	// The first sync to ask for users hangs, so a process can die mid-sync.
	sim.Tenant(entrasim.DefaultTenantID).InjectFault(entrasim.Fault{Dataset: entrasim.DatasetUsers, Delay: 10 * time.Minute})

	env := map[string]string{
		"ATTEST_APP_DATABASE_URL": tdb.AppURL, // the application's own login role

		"DATABASE_URL":            tdb.URL,
		"ATTEST_ADDR":             "127.0.0.1:0",
		"ATTEST_SESSION_KEYS":     "replica-test-session-key-0123456789abcdef",
		"ATTEST_MASTER_KEY_FILE":  keyFile,
		"ATTEST_ENTRA_LOGIN_URL":  simSrv.URL + "/sim/login",
		"ATTEST_ENTRA_GRAPH_URL":  simSrv.URL + "/sim/graph",
		"ATTEST_LOG_FORMAT":       "json",
		"ATTEST_SYNC_TIMEOUT":     "15s",
		"ATTEST_JOB_RESCUE_AFTER": "16s",
	}
	web := startReplica(t, "web+jobs", merge(env, map[string]string{"ATTEST_ROLE": "all"}))
	worker := startReplica(t, "jobs", merge(env, map[string]string{"ATTEST_ROLE": "jobs"}))

	admin := adminConn(t, tdb)
	count := func(query string, args ...any) int {
		var n int
		require.NoError(t, admin.QueryRow(context.Background(), query, args...).Scan(&n))
		return n
	}
	dump := jobsDump(t, admin)
	// Two syncs finish; the third hangs in one of the processes.
	var stuck string
	waitFor(t, 90*time.Second, "two syncs done and one hanging", func() bool {
		// River records completions asynchronously: wait until both are
		// recorded, or the kill would hand them back to be run again.
		if count(`SELECT count(*) FROM river_job WHERE kind = 'sync_connection' AND state = 'completed'`) < 2 {
			return false
		}
		err := admin.QueryRow(context.Background(), `SELECT attempted_by[array_length(attempted_by, 1)] FROM river_job
			WHERE kind = 'sync_connection' AND state = 'running'`).Scan(&stuck)
		return err == nil
	}, dump, web, worker)
	require.Equal(t, 1, count(`SELECT count(*) FROM river_job WHERE kind = 'schedule_syncs'`), "the periodic scheduler ran once, on the leader")

	// Kill the process running it, without warning.
	victim, survivor := web, worker
	if id, _ := worker.state(); id == stuck {
		victim, survivor = worker, web
	}
	id, _ := victim.state()
	require.Equal(t, stuck, id, "the hanging job belongs to one of the two processes")
	require.NoError(t, victim.cmd.Process.Signal(syscall.SIGKILL))
	<-victim.exited

	// The survivor rescues the job and finishes the sync.
	waitFor(t, 90*time.Second, "the rescued sync to finish", func() bool {
		return count(`SELECT count(*) FROM river_job WHERE kind = 'sync_connection' AND state = 'completed'`) == 3
	}, dump, survivor)
	var hung uuid.UUID
	require.NoError(t, admin.QueryRow(context.Background(), `SELECT connection_id FROM connector_runs WHERE status = 'failed'`).Scan(&hung))
	require.Equal(t, 1, count(`SELECT count(*) FROM connector_runs WHERE status = 'failed' AND error_message LIKE 'interrupted%'`),
		"the killed run is closed as interrupted")
	require.Equal(t, 3, count(`SELECT count(*) FROM connector_runs WHERE status = 'succeeded'`), "one successful run per connection")
	require.Equal(t, 1, count(`SELECT count(*) FROM river_job WHERE kind = 'sync_connection' AND state = 'completed' AND attempt = 2 AND args->>'connection_id' = $1`, hung.String()),
		"the interrupted connection's job finished on its second attempt")
	// No duplicate evidence: the rescued connection holds exactly what the others do.
	perConn := count(`SELECT count(*) FROM evidence WHERE connection_id = $1`, conns[0])
	require.Positive(t, perConn)
	for _, c := range conns {
		require.Equal(t, perConn, count(`SELECT count(*) FROM evidence WHERE connection_id = $1`, c))
		require.Equal(t, perConn, count(`SELECT count(*) FROM evidence_current WHERE connection_id = $1`, c))
	}
	// Never two runs of one connection at once.
	require.Zero(t, count(`SELECT count(*) FROM connector_runs a JOIN connector_runs b
		ON a.connection_id = b.connection_id AND a.id <> b.id
		AND a.started_at < b.finished_at AND b.started_at < a.finished_at`))

	// The jobs-only process serves health checks and nothing else; a clean
	// stop exits 0.
	if _, addr := survivor.state(); survivor == worker && addr != "" {
		res, err := http.Get("http://" + addr + "/login")
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusNotFound, res.StatusCode)
		res, err = http.Get("http://" + addr + "/healthz")
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusOK, res.StatusCode)
	}
	require.NoError(t, survivor.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-survivor.exited:
		require.NoError(t, survivor.err, survivor.log())
	case <-time.After(60 * time.Second):
		t.Fatal("the survivor did not stop on SIGTERM")
	}
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// jobsDump returns a function that logs River's jobs and the connector runs,
// for a test that timed out waiting on them.
func jobsDump(t *testing.T, admin *pgx.Conn) func() {
	return func() {
		for _, query := range []string{
			`SELECT id, kind, state, attempt, args::text, attempted_by::text, coalesce(errors::text, '') FROM river_job ORDER BY id`,
			`SELECT connection_id::text, status, attempt, coalesce(job_id, 0), started_at::text, coalesce(error_message, '') FROM connector_runs ORDER BY started_at`,
		} {
			rows, err := admin.Query(context.Background(), query)
			require.NoError(t, err)
			for rows.Next() {
				vals, err := rows.Values()
				require.NoError(t, err)
				t.Log(vals...)
			}
			rows.Close()
		}
	}
}

// adminConn connects as the cluster administrator (no row-level security).
func adminConn(t *testing.T, tdb *testdb.DB) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), tdb.AdminURL)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// waitFor polls cond until it holds or the deadline passes; on failure it
// shows the replicas' logs.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool, dump func(), replicas ...*replica) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			for _, r := range replicas {
				t.Logf("%s log:\n%s", r.name, r.log())
			}
			dump()
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
