// Package scope keeps an organization's statement of applicability (the
// criteria it marks not applicable, each with a written justification) and
// each criterion's owner. Every change is audited in its own transaction;
// coverage reads the not-applicable set (coverage.Load) and takes those
// criteria out of its denominator, and a scope change retakes the day's
// coverage snapshot in the same transaction so the history shows it at once.
package scope

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/coverage"
)

var q = dbsqlc.New()

// Justification bounds, in characters.
const (
	MinJustification = 10
	MaxJustification = 2000
)

// Errors shown on the control page.
var (
	ErrJustification = fmt.Errorf("write a justification of %d to %d characters", MinJustification, MaxJustification)
	ErrCriterion     = errors.New("scope: no such criterion")
	ErrNotMember     = errors.New("choose an owner or admin of this organization")
)

// Service changes scope and owners.
type Service struct {
	Pool     *pgxpool.Pool
	Clock    clock.Clock
	Registry *connector.Registry // the checks coverage counts, for the snapshot a scope change retakes
}

// Owner is a criterion's owner.
type Owner struct {
	UserID      uuid.UUID
	Email       string
	DisplayName string
}

// Label is how the owner is shown.
func (o Owner) Label() string {
	if o.DisplayName != "" {
		return o.DisplayName
	}
	return o.Email
}

// MarkNotApplicable takes criterion out of scope with a justification (or
// replaces the justification of one already out).
func (s *Service) MarkNotApplicable(ctx context.Context, orgID uuid.UUID, actor audit.Actor, userID uuid.UUID, criterion, justification string) error {
	justification = strings.TrimSpace(justification)
	if n := utf8.RuneCountInString(justification); n < MinJustification || n > MaxJustification {
		return ErrJustification
	}
	if _, ok := coverage.Find(criterion); !ok {
		return ErrCriterion
	}
	now := s.Clock.Now()
	return db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		if err := q.ScopeMarkNotApplicable(ctx, tx, dbsqlc.ScopeMarkNotApplicableParams{OrgID: orgID, Criterion: criterion,
			Justification: justification, MarkedBy: userID, MarkedAt: now}); err != nil {
			return fmt.Errorf("scope: mark not applicable: %w", err)
		}
		if err := record(ctx, tx, orgID, now, actor, "scope.not_applicable", criterion, map[string]any{"justification": justification}); err != nil {
			return err
		}
		return s.snapshot(ctx, tx, orgID, now)
	})
}

// MarkApplicable brings criterion back into scope; it reports whether it
// was out.
func (s *Service) MarkApplicable(ctx context.Context, orgID uuid.UUID, actor audit.Actor, criterion string) (bool, error) {
	if _, ok := coverage.Find(criterion); !ok {
		return false, ErrCriterion
	}
	now := s.Clock.Now()
	var changed bool
	err := db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		n, err := q.ScopeMarkApplicable(ctx, tx, criterion)
		if err != nil {
			return fmt.Errorf("scope: mark applicable: %w", err)
		}
		if changed = n > 0; !changed {
			return nil
		}
		if err := record(ctx, tx, orgID, now, actor, "scope.applicable", criterion, nil); err != nil {
			return err
		}
		return s.snapshot(ctx, tx, orgID, now)
	})
	return changed, err
}

// snapshot retakes the day's coverage snapshot with the scope just changed.
func (s *Service) snapshot(ctx context.Context, tx pgx.Tx, orgID uuid.UUID, now time.Time) error {
	org, err := q.OrgGet(ctx, tx, orgID)
	if err != nil {
		return fmt.Errorf("scope: read organization: %w", err)
	}
	if _, err := coverage.Snapshot(ctx, tx, org, s.Registry, now); err != nil {
		return fmt.Errorf("scope: retake snapshot: %w", err)
	}
	return nil
}

// SetOwner makes a live owner or admin of the organization the owner of
// criterion; a nil owner clears it.
func (s *Service) SetOwner(ctx context.Context, orgID uuid.UUID, actor audit.Actor, userID uuid.UUID, criterion string, owner *uuid.UUID) error {
	if _, ok := coverage.Find(criterion); !ok {
		return ErrCriterion
	}
	now := s.Clock.Now()
	return db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		details := map[string]any{"owner": ""}
		if owner == nil {
			n, err := q.CriterionOwnerClear(ctx, tx, criterion)
			if err != nil {
				return fmt.Errorf("scope: clear owner: %w", err)
			}
			if n == 0 {
				return nil // nobody owned it: nothing to record
			}
		} else {
			candidates, err := Candidates(ctx, tx, orgID)
			if err != nil {
				return err
			}
			i := slices.IndexFunc(candidates, func(o Owner) bool { return o.UserID == *owner })
			if i < 0 {
				return ErrNotMember
			}
			if err := q.CriterionOwnerSet(ctx, tx, dbsqlc.CriterionOwnerSetParams{OrgID: orgID, Criterion: criterion,
				UserID: *owner, SetBy: userID, SetAt: now}); err != nil {
				return fmt.Errorf("scope: set owner: %w", err)
			}
			details = map[string]any{"owner": candidates[i].Email, "owner_id": owner.String()}
		}
		return record(ctx, tx, orgID, now, actor, "control.owner_set", criterion, details)
	})
}

// Candidates lists the members who may own a criterion.
func Candidates(ctx context.Context, tx pgx.Tx, orgID uuid.UUID) ([]Owner, error) {
	rows, err := q.CriterionOwnerCandidates(ctx, tx, orgID)
	if err != nil {
		return nil, fmt.Errorf("scope: list members: %w", err)
	}
	out := make([]Owner, len(rows))
	for i, r := range rows {
		out[i] = Owner{UserID: r.ID, Email: r.Email, DisplayName: r.DisplayName}
	}
	return out, nil
}

// Owners reads every criterion's owner, by criterion.
func Owners(ctx context.Context, tx pgx.Tx) (map[string]Owner, error) {
	rows, err := q.CriterionOwnerList(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("scope: list owners: %w", err)
	}
	out := make(map[string]Owner, len(rows))
	for _, r := range rows {
		out[r.Criterion] = Owner{UserID: r.UserID, Email: r.Email, DisplayName: r.DisplayName}
	}
	return out, nil
}

func record(ctx context.Context, tx pgx.Tx, orgID uuid.UUID, now time.Time, actor audit.Actor, action, criterion string, details map[string]any) error {
	if details == nil {
		details = map[string]any{}
	}
	details["criterion"] = criterion
	return audit.Record(ctx, tx, orgID, now, actor, audit.Event{Action: action, TargetType: "control", TargetID: criterion, Details: details})
}
