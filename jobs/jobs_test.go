package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertest"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/synctest"
	"github.com/attesthq/attest/jobs"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newClient(t *testing.T, e *synctest.Env, work bool) *river.Client[pgx.Tx] {
	t.Helper()
	client, _, err := jobs.NewClient(jobs.Deps{Pool: e.DB.Pool, Clock: e.Clock, Log: quiet, Syncer: e.Syncer, Registry: e.Registry},
		jobs.Config{SyncWorkers: 2, SyncTimeout: time.Minute, RescueAfter: 2 * time.Minute, Work: work})
	require.NoError(t, err)
	return client
}

func insert(t *testing.T, e *synctest.Env, q *jobs.Queue, args jobs.SyncConnectionArgs) bool {
	t.Helper()
	var queued bool
	require.NoError(t, pgx.BeginFunc(context.Background(), e.DB.Pool, func(tx pgx.Tx) error {
		var err error
		queued, err = q.SyncNow(context.Background(), tx, args.OrgID, args.ConnectionID, args.Trigger)
		return err
	}))
	return queued
}

func TestSyncJobsAreUniqueWhileQueuedButNotAfterCompletion(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	conn := e.Connect(t)
	q := &jobs.Queue{Client: newClient(t, e, false)}
	args := jobs.SyncConnectionArgs{OrgID: e.Org.ID, ConnectionID: conn, Trigger: "manual"}
	require.True(t, insert(t, e, q, args))
	require.False(t, insert(t, e, q, jobs.SyncConnectionArgs{OrgID: e.Org.ID, ConnectionID: conn, Trigger: "schedule"}), "a queued sync blocks another")
	_, err := e.DB.Pool.Exec(context.Background(), `UPDATE river_job SET state = 'running'`)
	require.NoError(t, err)
	require.True(t, insert(t, e, q, args), "one further sync queues behind a running one")
	require.False(t, insert(t, e, q, args), "but only one")
	_, err = e.DB.Pool.Exec(context.Background(), `UPDATE river_job SET state = 'completed', finalized_at = now()`)
	require.NoError(t, err)
	require.True(t, insert(t, e, q, args), "a completed sync does not block the next")
	// Arguments carry ids only.
	var raw string
	require.NoError(t, e.DB.Pool.QueryRow(context.Background(), `SELECT args::text FROM river_job ORDER BY id DESC LIMIT 1`).Scan(&raw))
	require.JSONEq(t, `{"org_id":"`+e.Org.ID.String()+`","connection_id":"`+conn.String()+`","trigger":"manual"}`, raw)
}

func TestWorkerCancelsWhenReauthorizationIsNeeded(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	conn := e.Connect(t)
	e.Tenant().RevokeGrants()
	w := rivertest.NewWorker(t, riverpgxv5.New(e.DB.Pool), &river.Config{}, &jobs.SyncConnectionWorker{Syncer: e.Syncer, MaxDuration: time.Minute})
	var res *rivertest.WorkResult
	require.NoError(t, pgx.BeginFunc(context.Background(), e.DB.Pool, func(tx pgx.Tx) error {
		var err error
		res, err = w.Work(context.Background(), t, tx, jobs.SyncConnectionArgs{OrgID: e.Org.ID, ConnectionID: conn, Trigger: "schedule"}, nil)
		return err
	}))
	require.Equal(t, river.EventKindJobCancelled, res.EventKind, "no retry storm")
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM connections WHERE status = 'needs_reauth'`))

	// Once it needs re-authorization, a queued sync completes without doing anything.
	require.NoError(t, pgx.BeginFunc(context.Background(), e.DB.Pool, func(tx pgx.Tx) error {
		var err error
		res, err = w.Work(context.Background(), t, tx, jobs.SyncConnectionArgs{OrgID: e.Org.ID, ConnectionID: conn, Trigger: "schedule"}, nil)
		return err
	}))
	require.Equal(t, river.EventKindJobCompleted, res.EventKind)
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM connector_runs`))
}

func TestSchedulerEnqueuesDueConnectionsOnce(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	due := e.Connect(t)
	client := newClient(t, e, false)
	n, err := jobs.Schedule(context.Background(), e.DB.Pool, client, e.Clock)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	n, err = jobs.Schedule(context.Background(), e.DB.Pool, client, e.Clock)
	require.NoError(t, err)
	require.Zero(t, n, "already queued")

	// After its sync the connection is due again only an hour later.
	_, err = e.DB.Pool.Exec(context.Background(), `DELETE FROM river_job`)
	require.NoError(t, err)
	_, err = e.Sync(t, due)
	require.NoError(t, err)
	n, err = jobs.Schedule(context.Background(), e.DB.Pool, client, e.Clock)
	require.NoError(t, err)
	require.Zero(t, n)
	e.Clock.Advance(61 * time.Minute)
	n, err = jobs.Schedule(context.Background(), e.DB.Pool, client, e.Clock)
	require.NoError(t, err)
	require.Equal(t, 1, n)
}

func TestRiverClientWorksTheFirstSync(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	client := newClient(t, e, true)
	e.Services.Syncs = &jobs.Queue{Client: client}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events, stop := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer stop()
	require.NoError(t, client.Start(ctx))
	defer func() { require.NoError(t, client.Stop(context.Background())) }()

	conn := e.Connect(t) // connecting queues the first sync in the same transaction
	deadline := time.After(30 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Job.Kind != (jobs.SyncConnectionArgs{}).Kind() {
				continue
			}
			require.Equal(t, river.EventKindJobCompleted, ev.Kind)
			require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM connector_runs WHERE connection_id = $1 AND status = 'succeeded' AND trigger = 'first'`, conn))
			return
		case <-deadline:
			t.Fatal("the first sync never finished")
		}
	}
}
