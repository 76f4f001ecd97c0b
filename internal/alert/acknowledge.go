package alert

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/clock"
)

// ErrNotFound is returned for an alert that does not exist in the
// organization or was acknowledged already.
var ErrNotFound = errors.New("alert: no such unacknowledged alert")

// ActionAcknowledge is the audit action of an acknowledgement.
const ActionAcknowledge = "alert.acknowledge"

// Service is what people do to alerts.
type Service struct {
	Pool  *pgxpool.Pool
	Clock clock.Clock
}

// Acknowledge records that a person has seen an open alert, with its audit
// row in the same transaction. The alert stays open until its cause
// recovers.
func (s *Service) Acknowledge(ctx context.Context, orgID, alertID uuid.UUID, by audit.Actor) error {
	if by.ID == nil {
		return fmt.Errorf("alert: acknowledge: only a person acknowledges an alert")
	}
	now := s.Clock.Now()
	err := db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		a, err := q.AlertAcknowledge(ctx, tx, dbsqlc.AlertAcknowledgeParams{ID: alertID, Now: now, UserID: by.ID})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("alert: acknowledge: %w", err)
		}
		subject, subjectID := Subject(a.ConnectionID, a.DocumentID)
		return audit.Record(ctx, tx, orgID, now, by, audit.Event{
			Action: ActionAcknowledge, TargetType: subject, TargetID: subjectID,
			Details: map[string]any{"alert_id": a.ID.String(), "kind": a.Kind, "title": a.Title},
		})
	})
	return err
}
