package alert_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/alert"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/synctest"
)

// TestAcknowledgeRecordsWhoSawTheAlertOnce: acknowledging an open alert
// stamps it with the person and writes its audit row in one transaction; a
// second acknowledgement, another organization's alert and a system actor
// are refused and leave nothing.
func TestAcknowledgeRecordsWhoSawTheAlertOnce(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	ctx := context.Background()
	conn := e.Connect(t)
	var alertID uuid.UUID
	require.NoError(t, db.InOrg(ctx, e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		c, err := dbsqlc.New().ConnectionGet(ctx, tx, conn)
		if err != nil {
			return err
		}
		c.Status = "needs_reauth"
		if _, _, err := alert.Reconcile(ctx, tx, c, e.Clock.Now(), nil); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT id FROM alerts WHERE kind = $1`, alert.KindNeedsReauth).Scan(&alertID)
	}))
	svc := &alert.Service{Pool: e.DB.Pool, Clock: e.Clock}
	owner := audit.UserActor(e.Owner.ID, e.Owner.Email)
	acks := func() int {
		return e.Count(t, `SELECT count(*) FROM audit_log WHERE action = $1`, alert.ActionAcknowledge)
	}

	require.ErrorIs(t, svc.Acknowledge(ctx, uuid.New(), alertID, owner), alert.ErrNotFound, "another organization's scope does not see it")
	require.Error(t, svc.Acknowledge(ctx, e.Org.ID, alertID, audit.SystemActor("test")), "only a person acknowledges")
	require.Zero(t, acks())

	require.NoError(t, svc.Acknowledge(ctx, e.Org.ID, alertID, owner))
	require.Equal(t, 1, acks())
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM alerts WHERE acknowledged_by = $1 AND resolved_at IS NULL`, e.Owner.ID))

	require.ErrorIs(t, svc.Acknowledge(ctx, e.Org.ID, alertID, owner), alert.ErrNotFound, "acknowledged already")
	require.Equal(t, 1, acks())
}
