package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/attesthq/attest/internal/alert"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/metrics"
	"github.com/attesthq/attest/internal/syncer"
)

// Config sizes and times the job client.
type Config struct {
	// SyncWorkers is how many syncs one process runs at once.
	SyncWorkers int
	// SyncTimeout bounds one sync.
	SyncTimeout time.Duration
	// RescueAfter hands a job whose process died back to the queue; it must
	// exceed SyncTimeout.
	RescueAfter time.Duration
	// Work makes this process work jobs. Without it the client only inserts.
	Work bool
	// Periodic makes a working process run the recurring jobs (scheduling,
	// staleness, snapshots) when it is the elected leader.
	Periodic bool
}

// Deps are what the workers use.
type Deps struct {
	Pool     *pgxpool.Pool
	Clock    clock.Clock
	Log      *slog.Logger
	Syncer   *syncer.Syncer
	Registry *connector.Registry
	// Webhook, when set, receives alert events.
	Webhook *alert.Webhook
	// Metrics, when set, counts the organizations periodic jobs fail on.
	Metrics *metrics.Set
}

// NewClient builds the River client with every worker and periodic job, and
// the queue that enqueues through it.
func NewClient(d Deps, cfg Config) (*river.Client[pgx.Tx], *Queue, error) {
	queue := &Queue{Webhook: d.Webhook != nil}
	workers := river.NewWorkers()
	river.AddWorker(workers, &SyncConnectionWorker{Syncer: d.Syncer, MaxDuration: cfg.SyncTimeout})
	river.AddWorker(workers, &SchedulerWorker{Pool: d.Pool, Clock: d.Clock})
	report := OrgWalkReport{Log: d.Log, Metrics: d.Metrics}
	river.AddWorker(workers, &SnapshotWorker{Pool: d.Pool, Clock: d.Clock, Registry: d.Registry, Report: report})
	river.AddWorker(workers, &StalenessWorker{Pool: d.Pool, Clock: d.Clock, Notify: queue, Report: report})
	river.AddWorker(workers, &PurgeWorker{Pool: d.Pool, Clock: d.Clock, Report: report})
	if d.Webhook != nil {
		river.AddWorker(workers, &DeliverAlertWorker{Pool: d.Pool, Clock: d.Clock, Webhook: d.Webhook})
	}
	rc := &river.Config{
		Logger:               d.Log,
		Workers:              workers,
		JobTimeout:           min(10*time.Minute, cfg.SyncTimeout),
		RescueStuckJobsAfter: cfg.RescueAfter,
	}
	if cfg.Work {
		rc.Queues = map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: 4},
			QueueSync:          {MaxWorkers: max(1, cfg.SyncWorkers)},
			QueueAlerts:        {MaxWorkers: 2},
		}
		if cfg.Periodic {
			rc.PeriodicJobs = periodicJobs()
		}
	}
	client, err := river.NewClient(riverpgxv5.New(d.Pool), rc)
	if err != nil {
		return nil, nil, fmt.Errorf("jobs: new client: %w", err)
	}
	queue.Client = client
	return client, queue, nil
}

// periodicJobs is the table of recurring jobs; River runs them on the
// elected leader only.
func periodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return SchedulerArgs{}, nil },
			&river.PeriodicJobOpts{ID: "schedule_syncs", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(5*time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return StalenessArgs{}, nil },
			&river.PeriodicJobOpts{ID: "check_staleness", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return SnapshotArgs{}, nil },
			&river.PeriodicJobOpts{ID: "snapshot_coverage", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(6*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return PurgeArgs{}, nil },
			&river.PeriodicJobOpts{ID: "purge_evidence"}),
	}
}

// Queue enqueues work from the web layer and services, inside their
// transactions.
type Queue struct {
	Client *river.Client[pgx.Tx]
	// Webhook says whether alert events are delivered.
	Webhook bool
}

// AlertChanged queues the webhook delivery of an alert event, in the
// transaction that opened or resolved it.
func (q *Queue) AlertChanged(ctx context.Context, tx pgx.Tx, orgID, alertID uuid.UUID, event string) error {
	if !q.Webhook {
		return nil
	}
	if _, err := q.Client.InsertTx(ctx, tx, DeliverAlertArgs{OrgID: orgID, AlertID: alertID, Event: event}, nil); err != nil {
		return fmt.Errorf("jobs: enqueue alert delivery: %w", err)
	}
	return nil
}

// EnqueueSync queues a sync in tx (the first sync of a new connection).
func (q *Queue) EnqueueSync(ctx context.Context, tx pgx.Tx, orgID, connID uuid.UUID, trigger syncer.Trigger) error {
	_, err := q.SyncNow(ctx, tx, orgID, connID, trigger)
	return err
}

// SyncNow queues a sync and reports false when one is already queued for
// the connection. While a sync is running, one further sync queues behind
// it, so a "Sync now" pressed as a sync finishes is not lost.
func (q *Queue) SyncNow(ctx context.Context, tx pgx.Tx, orgID, connID uuid.UUID, trigger syncer.Trigger) (bool, error) {
	args := SyncConnectionArgs{OrgID: orgID, ConnectionID: connID, Trigger: trigger}
	res, err := q.Client.InsertTx(ctx, tx, args, nil)
	if err == nil && res.UniqueSkippedAsDuplicate && res.Job.State == rivertype.JobStateRunning {
		args.Behind = true
		res, err = q.Client.InsertTx(ctx, tx, args, nil)
	}
	if err != nil {
		return false, fmt.Errorf("jobs: enqueue sync: %w", err)
	}
	return !res.UniqueSkippedAsDuplicate, nil
}
