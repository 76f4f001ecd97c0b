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
}

// Work purges organization by organization.
func (w *PurgeWorker) Work(ctx context.Context, _ *river.Job[PurgeArgs]) error {
	_, err := PurgeAll(ctx, w.Pool, w.Clock)
	return err
}

// PurgeAll purges every organization at the clock's time and returns how
// many records went.
func PurgeAll(ctx context.Context, pool *pgxpool.Pool, clk clock.Clock) (int, error) {
	now := clk.Now()
	var orgs []uuid.UUID
	if err := forEachID(ctx, pool, "organization", now, func(_, id uuid.UUID) { orgs = append(orgs, id) }); err != nil {
		return 0, err
	}
	total := 0
	for _, id := range orgs {
		n, err := retention.PurgeOrg(ctx, pool, id, now)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
