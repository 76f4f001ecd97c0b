package jobs

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/syncer"
)

var q = dbsqlc.New()

// SchedulerArgs asks the scheduler to enqueue every due sync.
type SchedulerArgs struct{}

// Kind names the job.
func (SchedulerArgs) Kind() string { return "schedule_syncs" }

// SchedulerWorker finds due connections through the one cross-tenant
// function (ids only) and enqueues a unique sync for each, one batch insert
// per page of ids.
type SchedulerWorker struct {
	river.WorkerDefaults[SchedulerArgs]
	Pool  *pgxpool.Pool
	Clock clock.Clock
}

// schedulerBatch is how many connections one page (and one insert) covers.
const schedulerBatch = 1000

// Work enqueues the due syncs.
func (w *SchedulerWorker) Work(ctx context.Context, _ *river.Job[SchedulerArgs]) error {
	_, err := Schedule(ctx, w.Pool, river.ClientFromContext[pgx.Tx](ctx), w.Clock)
	return err
}

// Schedule enqueues a sync for every connection due at the clock's time and
// reports how many were newly enqueued.
func Schedule(ctx context.Context, pool *pgxpool.Pool, client *river.Client[pgx.Tx], clk clock.Clock) (int, error) {
	now := clk.Now()
	var after *uuid.UUID
	inserted := 0
	for {
		var n, page int
		err := db.Tx(ctx, pool, func(tx pgx.Tx) error {
			rows, err := q.SystemIDs(ctx, tx, dbsqlc.SystemIDsParams{Kind: "due_connection", At: now, After: after, MaxRows: schedulerBatch})
			if err != nil {
				return fmt.Errorf("jobs: list due connections: %w", err)
			}
			page = len(rows)
			if page == 0 {
				return nil
			}
			params := make([]river.InsertManyParams, len(rows))
			for i, r := range rows {
				params[i] = river.InsertManyParams{Args: SyncConnectionArgs{OrgID: r.OrgID, ConnectionID: r.ID, Trigger: syncer.TriggerSchedule}}
			}
			res, err := client.InsertManyTx(ctx, tx, params)
			if err != nil {
				return fmt.Errorf("jobs: enqueue syncs: %w", err)
			}
			for _, r := range res {
				if !r.UniqueSkippedAsDuplicate {
					n++
				}
			}
			last := rows[len(rows)-1].ID
			after = &last
			return nil
		})
		if err != nil {
			return inserted, err
		}
		inserted += n
		if page < schedulerBatch {
			return inserted, nil
		}
	}
}
