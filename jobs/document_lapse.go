package jobs

import (
	"context"

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
// job: a lapsed document is stale evidence like a silent connection.
func ReconcileDocumentAlerts(ctx context.Context, pool *pgxpool.Pool, clk clock.Clock, notify alert.Notifier) (int, error) {
	now := clk.Now()
	byOrg := map[uuid.UUID][]uuid.UUID{}
	if err := forEachID(ctx, pool, "live_document", now, func(org, id uuid.UUID) { byOrg[org] = append(byOrg[org], id) }); err != nil {
		return 0, err
	}
	opened := 0
	for org, docs := range byOrg {
		err := db.InOrg(ctx, pool, org, func(tx pgx.Tx) error {
			for _, id := range docs {
				n, err := document.ReconcileOne(ctx, tx, id, now, notify)
				if err != nil {
					return err
				}
				opened += n
			}
			return nil
		})
		if err != nil {
			return opened, err
		}
	}
	return opened, nil
}
