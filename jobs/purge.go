package jobs

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/retention"
)

// PurgeArgs asks for expired evidence of revoked connections to be purged.
type PurgeArgs struct{}

// Kind names the job.
func (PurgeArgs) Kind() string { return "purge_evidence" }

// PurgeWorker applies every organization's retention window.
type PurgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	Pool  *pgxpool.Pool
	Clock clock.Clock
	// Report logs and counts the organizations that fail.
	Report OrgWalkReport
}

// Work purges organization by organization.
func (w *PurgeWorker) Work(ctx context.Context, _ *river.Job[PurgeArgs]) error {
	_, err := PurgeAll(ctx, w.Pool, w.Clock)
	return w.Report.settle(ctx, err)
}

// PurgeAll purges every organization at the clock's time and returns how
// many records went; organizations that fail are returned as *OrgFailures
// once the others are done.
func PurgeAll(ctx context.Context, pool *pgxpool.Pool, clk clock.Clock) (int, error) {
	now := clk.Now()
	var orgs []uuid.UUID
	if err := forEachID(ctx, pool, "organization", now, func(_, id uuid.UUID) { orgs = append(orgs, id) }); err != nil {
		return 0, err
	}
	total := 0
	err := eachOrg(ctx, PurgeArgs{}.Kind(), orgs, func(id uuid.UUID) error {
		n, err := retention.PurgeOrg(ctx, pool, id, now)
		total += n
		return err
	})
	return total, err
}
