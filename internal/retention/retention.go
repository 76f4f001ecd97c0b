// Package retention purges the evidence of revoked connections once the
// organization's retention window has passed, except evidence an approved
// assessment holds: that is frozen for good.
package retention

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
)

var q = dbsqlc.New()

// batch bounds one purge transaction, so a large purge neither holds locks
// for long nor builds one huge transaction.
const batch = 5000

// PurgeOrg deletes what the organization's retention window has expired and
// audits each batch (evidence.purge, with the count, the connections and the
// cutoff). It returns how many records it deleted.
func PurgeOrg(ctx context.Context, pool *pgxpool.Pool, orgID uuid.UUID, now time.Time) (int, error) {
	total := 0
	for {
		var n int32
		err := db.InOrg(ctx, pool, orgID, func(tx pgx.Tx) error {
			org, err := q.OrgGet(ctx, tx, orgID)
			if err != nil {
				return fmt.Errorf("retention: read organization: %w", err)
			}
			days := account.ParseSettings(org.Settings).RetentionDays
			cutoff := now.AddDate(0, 0, -days)
			res, err := q.RetentionPurgeBatch(ctx, tx, dbsqlc.RetentionPurgeBatchParams{Cutoff: &cutoff, MaxRows: batch})
			if err != nil {
				return fmt.Errorf("retention: purge: %w", err)
			}
			if n = res.Records; n == 0 {
				return nil
			}
			ids := make([]string, len(res.Connections))
			for i, id := range res.Connections {
				ids[i] = id.String()
			}
			return audit.Record(ctx, tx, orgID, now, audit.SystemActor("retention"), audit.Event{
				Action: "evidence.purge", TargetType: "organization", TargetID: orgID.String(),
				Details: map[string]any{"records": n, "connections": ids, "retention_days": days, "revoked_before": cutoff.UTC().Format(time.RFC3339)},
			})
		})
		total += int(n)
		if err != nil || n < batch {
			return total, err
		}
	}
}
