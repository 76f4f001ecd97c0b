package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/alert"
	"github.com/attesthq/attest/internal/clock"
)

// StalenessArgs asks for every connection's alerts to be reconciled with its
// freshness.
type StalenessArgs struct{}

// Kind names the job.
func (StalenessArgs) Kind() string { return "check_staleness" }

// StalenessWorker opens an alert once for each connection whose last
// successful sync is older than its stale threshold (and for needs
// re-authorization and repeated failures), and for each document near or
// past its review date, and resolves those that recovered.
type StalenessWorker struct {
	river.WorkerDefaults[StalenessArgs]
	Pool   *pgxpool.Pool
	Clock  clock.Clock
	Notify alert.Notifier
	// Report logs and counts the organizations that fail.
	Report OrgWalkReport
}

// Work reconciles every live connection, one organization at a time.
func (w *StalenessWorker) Work(ctx context.Context, _ *river.Job[StalenessArgs]) error {
	_, err := ReconcileAlerts(ctx, w.Pool, w.Clock, w.Notify)
	_, docErr := ReconcileDocumentAlerts(ctx, w.Pool, w.Clock, w.Notify)
	return w.Report.settle(ctx, err, docErr)
}

// ReconcileAlerts reconciles the alerts of every live connection at the
// clock's time and returns how many it opened; organizations that fail are
// returned as *OrgFailures once the others are done.
func ReconcileAlerts(ctx context.Context, pool *pgxpool.Pool, clk clock.Clock, notify alert.Notifier) (int, error) {
	now := clk.Now()
	byOrg := map[uuid.UUID][]uuid.UUID{}
	var orgs []uuid.UUID
	if err := forEachID(ctx, pool, "live_connection", now, func(org, id uuid.UUID) {
		if _, seen := byOrg[org]; !seen {
			orgs = append(orgs, org)
		}
		byOrg[org] = append(byOrg[org], id)
	}); err != nil {
		return 0, err
	}
	opened := 0
	err := eachOrg(ctx, StalenessArgs{}.Kind(), orgs, func(org uuid.UUID) error {
		inOrg := 0
		err := db.InOrg(ctx, pool, org, func(tx pgx.Tx) error {
			for _, id := range byOrg[org] {
				conn, err := q.ConnectionGet(ctx, tx, id)
				if err != nil {
					return fmt.Errorf("jobs: staleness: %w", err)
				}
				n, _, err := alert.Reconcile(ctx, tx, conn, now, notify)
				if err != nil {
					return err
				}
				inOrg += n
			}
			return nil
		})
		if err == nil {
			opened += inOrg // a failed organization's transaction opened nothing
		}
		return err
	})
	return opened, err
}

// forEachID pages through the ids system_ids lists for kind at now.
func forEachID(ctx context.Context, pool *pgxpool.Pool, kind string, now time.Time, fn func(org, id uuid.UUID)) error {
	var after *uuid.UUID
	for {
		var rows []dbsqlc.SystemIDsRow
		err := db.Tx(ctx, pool, func(tx pgx.Tx) error {
			var err error
			rows, err = q.SystemIDs(ctx, tx, dbsqlc.SystemIDsParams{Kind: kind, At: now, After: after, MaxRows: schedulerBatch})
			return err
		})
		if err != nil {
			return fmt.Errorf("jobs: list %s ids: %w", kind, err)
		}
		for _, r := range rows {
			fn(r.OrgID, r.ID)
		}
		if len(rows) < schedulerBatch {
			return nil
		}
		after = &rows[len(rows)-1].ID
	}
}
