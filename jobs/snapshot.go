package jobs

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/coverage"
)

// SnapshotArgs asks for today's coverage snapshot of every organization.
type SnapshotArgs struct{}

// Kind names the job.
func (SnapshotArgs) Kind() string { return "snapshot_coverage" }

// SnapshotWorker records each organization's coverage for the day, the data
// of the coverage chart and of each control's status history.
type SnapshotWorker struct {
	river.WorkerDefaults[SnapshotArgs]
	Pool     *pgxpool.Pool
	Clock    clock.Clock
	Registry *connector.Registry
	// Report logs and counts the organizations that fail.
	Report OrgWalkReport
}

// Work snapshots every organization.
func (w *SnapshotWorker) Work(ctx context.Context, _ *river.Job[SnapshotArgs]) error {
	return w.Report.settle(ctx, SnapshotAll(ctx, w.Pool, w.Registry, w.Clock))
}

// SnapshotAll records today's coverage of every organization; those that
// fail are returned as *OrgFailures once the others are done.
func SnapshotAll(ctx context.Context, pool *pgxpool.Pool, registry *connector.Registry, clk clock.Clock) error {
	now := clk.Now()
	var orgs []uuid.UUID
	if err := forEachID(ctx, pool, "organization", now, func(_, id uuid.UUID) { orgs = append(orgs, id) }); err != nil {
		return err
	}
	return eachOrg(ctx, SnapshotArgs{}.Kind(), orgs, func(id uuid.UUID) error {
		return db.InOrg(ctx, pool, id, func(tx pgx.Tx) error {
			org, err := q.OrgGet(ctx, tx, id)
			if err != nil {
				return err
			}
			_, err = coverage.Snapshot(ctx, tx, org, registry, now)
			return err
		})
	})
}
