// Package exclusion excuses a subject from a check (a break-glass or
// service account) with a reason and an expiry, audits it, and re-applies
// the check's latest result at once, so coverage reflects the decision
// without waiting for the next sync.
package exclusion

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/clock"
)

var q = dbsqlc.New()

// MaxDuration is the longest an exclusion may last.
const MaxDuration = 366 * 24 * time.Hour

// Errors shown on the form.
var (
	ErrReason     = errors.New("give a reason of 3 to 500 characters")
	ErrExpiry     = errors.New("choose an expiry date after today and within a year")
	ErrNotFailing = errors.New("that subject is not failing this check")
	ErrNotFound   = errors.New("exclusion not found")
)

// Service creates and ends exclusions.
type Service struct {
	Pool  *pgxpool.Pool
	Clock clock.Clock
}

// Create excuses subjects from check on the connection with one
// reason and expiry, all or none: each is audited as a single exclusion is,
// and the check's result is re-applied once.
func (s *Service) Create(ctx context.Context, orgID, connID uuid.UUID, actor audit.Actor, userID uuid.UUID, check string, subjects []string, reason string, expires time.Time) error {
	reason = strings.TrimSpace(reason)
	now := s.Clock.Now()
	if len(reason) < 3 || len(reason) > 500 {
		return ErrReason
	}
	if !expires.After(now) || expires.Sub(now) > MaxDuration {
		return ErrExpiry
	}
	subjects = slices.Compact(slices.Sorted(slices.Values(subjects)))
	if len(subjects) == 0 {
		return ErrNotFailing
	}
	return db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		for _, subject := range subjects {
			if err := exclude(ctx, tx, orgID, connID, actor, userID, check, subject, reason, expires, now); err != nil {
				return err
			}
		}
		return reapply(ctx, tx, orgID, connID, check, now)
	})
}

// exclude records and audits one exclusion in tx.
func exclude(ctx context.Context, tx pgx.Tx, orgID, connID uuid.UUID, actor audit.Actor, userID uuid.UUID, check, subject, reason string, expires, now time.Time) error {
	f, err := q.CheckFailureGet(ctx, tx, dbsqlc.CheckFailureGetParams{ConnectionID: connID, CheckKey: check, SubjectKey: subject})
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFailing
	}
	if err != nil {
		return fmt.Errorf("exclusion: find subject: %w", err)
	}
	x, err := q.CheckExclusionCreate(ctx, tx, dbsqlc.CheckExclusionCreateParams{
		OrgID: orgID, ConnectionID: connID, CheckKey: check, SubjectKey: subject, SubjectLabel: f.SubjectLabel,
		Reason: reason, ExpiresAt: expires, CreatedBy: userID, CreatedAt: now,
	})
	if err != nil {
		return fmt.Errorf("exclusion: create: %w", err)
	}
	return audit.Record(ctx, tx, orgID, now, actor, audit.Event{
		Action: "check.exclude", TargetType: "connection", TargetID: connID.String(),
		Details: map[string]any{"exclusion_id": x.ID.String(), "check": check, "subject": f.SubjectLabel, "subject_key": subject,
			"reason": reason, "expires_at": expires.UTC().Format(time.RFC3339)},
	})
}

// Revoke ends an exclusion early.
func (s *Service) Revoke(ctx context.Context, orgID, connID uuid.UUID, actor audit.Actor, userID, id uuid.UUID) error {
	now := s.Clock.Now()
	return db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		x, err := q.CheckExclusionRevoke(ctx, tx, dbsqlc.CheckExclusionRevokeParams{ID: id, Now: now, RevokedBy: &userID})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("exclusion: revoke: %w", err)
		}
		if x.ConnectionID != connID {
			return ErrNotFound
		}
		if err := audit.Record(ctx, tx, orgID, now, actor, audit.Event{
			Action: "check.exclusion_end", TargetType: "connection", TargetID: connID.String(),
			Details: map[string]any{"exclusion_id": id.String(), "check": x.CheckKey, "subject": x.SubjectLabel},
		}); err != nil {
			return err
		}
		return reapply(ctx, tx, orgID, connID, x.CheckKey, now)
	})
}

// reapply re-derives the check's latest known result with the exclusions now
// in force, recording it as a new result of the same run.
func reapply(ctx context.Context, tx pgx.Tx, orgID, connID uuid.UUID, check string, now time.Time) error {
	last, err := q.CheckCurrentGet(ctx, tx, dbsqlc.CheckCurrentGetParams{ConnectionID: connID, CheckKey: check})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("exclusion: read result: %w", err)
	}
	if last.Status == "unknown" {
		return nil
	}
	n, err := q.CheckFailuresCount(ctx, tx, dbsqlc.CheckFailuresCountParams{ConnectionID: connID, CheckKey: check, Now: now})
	if err != nil {
		return fmt.Errorf("exclusion: count: %w", err)
	}
	status, reason := "fail", fmt.Sprintf("%d failing subject(s), %d excluded.", n.Failing-n.Excluded, n.Excluded)
	if n.Failing == n.Excluded {
		if n.Failing == 0 {
			return nil
		}
		status, reason = "pass", fmt.Sprintf("Passes with %d excluded subject(s).", n.Excluded)
	}
	prev, err := q.CheckResultGet(ctx, tx, last.ResultID)
	if err != nil {
		return fmt.Errorf("exclusion: read result: %w", err)
	}
	res, err := q.CheckResultInsert(ctx, tx, dbsqlc.CheckResultInsertParams{
		OrgID: orgID, ConnectionID: connID, RunID: prev.RunID, CheckKey: check, Status: status, Reason: reason,
		SubjectsTotal: last.SubjectsTotal, SubjectsFailing: int32(n.Failing - n.Excluded), SubjectsExcluded: int32(n.Excluded),
		FailingDigest: prev.FailingDigest, EvaluatedAt: now,
	})
	if err != nil {
		return fmt.Errorf("exclusion: record result: %w", err)
	}
	return q.CheckCurrentSet(ctx, tx, res.ID)
}
