package jobs

import (
	"context"
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

// QueueAlerts keeps webhook deliveries apart from syncs, so a slow receiver
// never takes a sync's place.
const QueueAlerts = "alerts"

// DeliverAlertArgs asks for one alert event to be posted to the webhook.
type DeliverAlertArgs struct {
	OrgID   uuid.UUID `json:"org_id"`
	AlertID uuid.UUID `json:"alert_id"`
	Event   string    `json:"event"`
}

// Kind names the job.
func (DeliverAlertArgs) Kind() string { return "deliver_alert" }

// InsertOpts retries deliveries with River's backoff for about a day.
func (DeliverAlertArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueAlerts, MaxAttempts: 12}
}

// DeliverAlertWorker posts alert events and logs every attempt.
type DeliverAlertWorker struct {
	river.WorkerDefaults[DeliverAlertArgs]
	Pool    *pgxpool.Pool
	Clock   clock.Clock
	Webhook *alert.Webhook
}

// Work posts the event; an error makes River retry with backoff.
func (w *DeliverAlertWorker) Work(ctx context.Context, job *river.Job[DeliverAlertArgs]) error {
	var org dbsqlc.Organization
	var a dbsqlc.AlertGetRow
	err := db.InOrg(ctx, w.Pool, job.Args.OrgID, func(tx pgx.Tx) error {
		var err error
		if org, err = q.OrgGet(ctx, tx, job.Args.OrgID); err != nil {
			return err
		}
		a, err = q.AlertGet(ctx, tx, job.Args.AlertID)
		return err
	})
	if err != nil {
		return err
	}
	now := w.Clock.Now()
	start := time.Now()
	status, sendErr := w.Webhook.Deliver(ctx, alert.NewPayload(org, a, job.Args.Event, now), now)
	rec := dbsqlc.AlertDeliveryRecordParams{OrgID: org.ID, AlertID: a.ID, Event: job.Args.Event, Attempt: int32(job.Attempt),
		DurationMs: int32(time.Since(start).Milliseconds()), At: now}
	if status != 0 {
		s := int32(status)
		rec.StatusCode = &s
	}
	if sendErr != nil {
		rec.Error = sendErr.Error()
	}
	if err := db.InOrg(context.WithoutCancel(ctx), w.Pool, org.ID, func(tx pgx.Tx) error {
		return q.AlertDeliveryRecord(ctx, tx, rec)
	}); err != nil {
		return err
	}
	return sendErr
}

// Timeout bounds one delivery attempt.
func (w *DeliverAlertWorker) Timeout(*river.Job[DeliverAlertArgs]) time.Duration {
	return 30 * time.Second
}
