package jobs

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/alert"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/document"
)

// ReconcileDocumentAlerts reconciles every live document's lapse alerts at
// the clock's time (a reminder from 14 days before its review date, a lapse
// alert past it) and returns how many it opened. It runs with the staleness
// job: a lapsed document is stale evidence like a silent connection. It
// walks organizations through the one cross-tenant door and reads each
// one's documents under its own row-level security.
func ReconcileDocumentAlerts(ctx context.Context, pool *pgxpool.Pool, clk clock.Clock, notify alert.Notifier) (int, error) {
	now := clk.Now()
	var orgs []uuid.UUID
	if err := forEachID(ctx, pool, "organization", now, func(org, _ uuid.UUID) { orgs = append(orgs, org) }); err != nil {
		return 0, err
	}
	opened := 0
	err := eachOrg(ctx, "document_alerts", orgs, func(org uuid.UUID) error {
		n := 0
		err := db.InOrg(ctx, pool, org, func(tx pgx.Tx) error {
			ids, err := q.DocumentLiveIDs(ctx, tx)
			if err != nil {
				return fmt.Errorf("jobs: documents: %w", err)
			}
			for _, id := range ids {
				k, err := document.ReconcileOne(ctx, tx, id, now, notify)
				if err != nil {
					return err
				}
				n += k
			}
			return nil
		})
		if err == nil {
			opened += n // a rolled-back organization opened nothing
		}
		return err
	})
	return opened, err
}
