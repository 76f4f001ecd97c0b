package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
)

var q = dbsqlc.New()

// StartChain creates an organization's empty chain; call it in the
// transaction that creates the organization.
func StartChain(ctx context.Context, tx pgx.Tx, orgID uuid.UUID) error {
	if err := q.AuditHeadCreate(ctx, tx, dbsqlc.AuditHeadCreateParams{OrgID: orgID, Hash: genesis}); err != nil {
		return fmt.Errorf("audit: start chain: %w", err)
	}
	return nil
}

// Record appends ev to the organization's log inside tx, which must be scoped
// to orgID. It blocks other writers of the same organization until tx ends.
func Record(ctx context.Context, tx pgx.Tx, orgID uuid.UUID, at time.Time, actor Actor, ev Event) error {
	details := ev.Details
	if details == nil {
		details = map[string]any{}
	}
	raw, err := json.Marshal(details)
	if err != nil {
		return fmt.Errorf("audit: %s details: %w", ev.Action, err)
	}
	canon, err := canonicalJSON(raw)
	if err != nil {
		return err
	}
	head, err := q.AuditHeadAdvance(ctx, tx, orgID)
	if err != nil {
		return fmt.Errorf("audit: %s: lock chain: %w", ev.Action, err)
	}
	req := requestFrom(ctx)
	row := chainRow{
		OrgID:      orgID,
		Seq:        head.Seq,
		OccurredAt: at.UTC().Truncate(time.Microsecond),
		ActorType:  actor.Type,
		ActorID:    actor.ID,
		ActorLabel: actor.Label,
		Action:     ev.Action,
		TargetType: ev.TargetType,
		TargetID:   ev.TargetID,
		Details:    canon,
		IP:         req.IP,
		RequestID:  req.RequestID,
		PrevHash:   head.Hash,
	}
	hash := row.hash()
	err = q.AuditInsert(ctx, tx, dbsqlc.AuditInsertParams{
		OrgID: row.OrgID, Seq: row.Seq, OccurredAt: row.OccurredAt, ActorType: row.ActorType,
		ActorID: row.ActorID, ActorLabel: row.ActorLabel, Action: row.Action, TargetType: row.TargetType,
		TargetID: row.TargetID, Details: canon, IP: row.IP, RequestID: row.RequestID,
		PrevHash: row.PrevHash, Hash: hash,
	})
	if err != nil {
		return fmt.Errorf("audit: %s: insert: %w", ev.Action, err)
	}
	if err := q.AuditHeadSetHash(ctx, tx, dbsqlc.AuditHeadSetHashParams{OrgID: orgID, Hash: hash}); err != nil {
		return fmt.Errorf("audit: %s: advance chain: %w", ev.Action, err)
	}
	return nil
}
