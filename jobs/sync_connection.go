package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/syncer"
)

// QueueSync is the queue syncs run on, sized separately from housekeeping.
const QueueSync = "sync"

// SyncConnectionArgs asks for one sync of one connection. It is unique per
// connection while a sync is queued, scheduled, running or waiting to
// retry; a completed sync does not block the next. One further sync, marked
// Behind, may queue behind a running one.
type SyncConnectionArgs struct {
	OrgID        uuid.UUID `json:"org_id"`
	ConnectionID uuid.UUID `json:"connection_id" river:"unique"`
	// Trigger is "schedule", "manual" or "first".
	Trigger syncer.Trigger `json:"trigger"`
	// Behind marks a sync asked for while another was running: that one may
	// have read the tenant already, or be finishing (its run shows done
	// before River marks its job completed). It is unique apart from the
	// others, so at most one waits; the sync lock holds it back until the
	// running one ends.
	Behind bool `json:"behind,omitempty" river:"unique"`
}

// Kind names the job.
func (SyncConnectionArgs) Kind() string { return "sync_connection" }

// InsertOpts makes the job unique per connection.
func (SyncConnectionArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       QueueSync,
		MaxAttempts: 5,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateRetryable, rivertype.JobStateScheduled,
		}},
	}
}

// SyncConnectionWorker runs a sync.
type SyncConnectionWorker struct {
	river.WorkerDefaults[SyncConnectionArgs]
	Syncer      *syncer.Syncer
	MaxDuration time.Duration
}

// busyRetry is how long a job waits when another process holds the
// connection's sync lock.
const busyRetry = 30 * time.Second

// Work syncs the connection. A connection that needs re-authorization
// cancels the job instead of retrying (no retry storm); a connection that is
// no longer active completes it quietly.
func (w *SyncConnectionWorker) Work(ctx context.Context, job *river.Job[SyncConnectionArgs]) error {
	_, err := w.Syncer.Run(ctx, syncer.Request{
		OrgID: job.Args.OrgID, ConnectionID: job.Args.ConnectionID, Trigger: job.Args.Trigger,
		JobID: job.ID, Attempt: job.Attempt,
	})
	var se *connector.SyncError
	switch {
	case errors.Is(err, syncer.ErrNotSyncable):
		return nil
	case errors.Is(err, syncer.ErrBusy):
		return river.JobSnooze(busyRetry)
	case errors.As(err, &se) && (se.Class == connector.ErrorNeedsReauth || se.Class == connector.ErrorConfiguration):
		return river.JobCancel(err)
	}
	return err
}

// Timeout bounds one sync (River's default of one minute is far too short).
func (w *SyncConnectionWorker) Timeout(*river.Job[SyncConnectionArgs]) time.Duration {
	return w.MaxDuration
}
