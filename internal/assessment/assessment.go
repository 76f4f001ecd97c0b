// Package assessment manages audit assessments: a period and a scope of SOC 2
// criteria, the evidence attached to them, and the move from draft through
// review to approval, which freezes the set. The freeze itself is enforced by
// the database (see db/migrations/00006_assessments.sql); this package keeps
// the workflow, the root hash and the audit trail.
package assessment

import (
	"context"
	"encoding/json"
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
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/internal/document"
)

var q = dbsqlc.New()

// Status is where an assessment is in its workflow; the assessments table
// stores it as text.
type Status string

// Statuses of an assessment.
const (
	StatusDraft    Status = "draft"
	StatusReview   Status = "review"
	StatusApproved Status = "approved"
)

// StatusOf is the assessment's status.
func StatusOf(a dbsqlc.Assessment) Status { return Status(a.Status) }

// Errors the web layer turns into messages.
var (
	ErrNotFound = errors.New("assessment: not found")
	// ErrState means the assessment is not in a status that allows the step.
	ErrState = errors.New("assessment: not allowed in its current status")
)

// InvalidError explains why a new assessment was refused.
type InvalidError struct{ Problems []string }

func (e *InvalidError) Error() string { return strings.Join(e.Problems, "; ") }

// HeldError refuses to delete a draft that people are limited to: the
// emails of the invitations whose link still works and of the auditors not
// revoked. Revoking them first makes the draft deletable.
type HeldError struct{ Invitations, Auditors []string }

// Error names who holds the draft.
func (e *HeldError) Error() string {
	var parts []string
	if len(e.Invitations) > 0 {
		parts = append(parts, "pending invitations for "+strings.Join(e.Invitations, ", "))
	}
	if len(e.Auditors) > 0 {
		parts = append(parts, "auditors "+strings.Join(e.Auditors, ", "))
	}
	return "assessment: limits " + strings.Join(parts, " and ")
}

// Service runs the assessment workflow.
type Service struct {
	Pool     *pgxpool.Pool
	Clock    clock.Clock
	Registry *connector.Registry
}

// Draft is what a new assessment needs.
type Draft struct {
	Name string
	// PeriodStart and PeriodEnd are the first and last day (UTC), inclusive.
	PeriodStart, PeriodEnd time.Time
	// Categories are the optional categories in scope besides Security.
	Categories []string
}

// maxPeriod bounds an assessment period (a SOC 2 Type II period is at most a
// year; a little slack allows for calendar edges).
const maxPeriod = 400 * 24 * time.Hour

func (d Draft) validate(now time.Time) error {
	var problems []string
	if n := len(strings.TrimSpace(d.Name)); n == 0 || n > 200 {
		problems = append(problems, "the name must be 1 to 200 characters")
	}
	switch {
	case d.PeriodStart.IsZero() || d.PeriodEnd.IsZero():
		problems = append(problems, "the period needs a first and a last day")
	case d.PeriodEnd.Before(d.PeriodStart):
		problems = append(problems, "the period ends before it starts")
	case d.PeriodEnd.Sub(d.PeriodStart) > maxPeriod:
		problems = append(problems, "the period may be at most 400 days")
	case d.PeriodStart.After(now):
		problems = append(problems, "the period cannot start in the future")
	}
	for _, c := range d.Categories {
		if !slices.ContainsFunc(coverage.Categories, func(k coverage.Category) bool { return k.Key == c && k.Optional }) {
			problems = append(problems, fmt.Sprintf("%q is not an optional category", c))
		}
	}
	if len(problems) > 0 {
		return &InvalidError{Problems: problems}
	}
	return nil
}

// Create starts a draft and attaches the evidence of its period; it returns
// the assessment and how many records it attached.
func (s *Service) Create(ctx context.Context, orgID uuid.UUID, actor audit.Actor, d Draft) (dbsqlc.Assessment, int64, error) {
	now := s.Clock.Now()
	if err := d.validate(now); err != nil {
		return dbsqlc.Assessment{}, 0, err
	}
	var a dbsqlc.Assessment
	var attached int64
	err := db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		var err error
		a, err = q.AssessmentCreate(ctx, tx, dbsqlc.AssessmentCreateParams{OrgID: orgID, Name: strings.TrimSpace(d.Name),
			PeriodStart: d.PeriodStart, PeriodEnd: d.PeriodEnd, Categories: nonNil(d.Categories), CreatedAt: now, CreatedBy: actor.ID})
		if err != nil {
			return fmt.Errorf("assessment: create: %w", err)
		}
		if attached, err = s.attachPeriod(ctx, tx, a, now); err != nil {
			return err
		}
		return record(ctx, tx, a, actor, now, "assessment.create", map[string]any{
			"name": a.Name, "period_start": day(a.PeriodStart), "period_end": day(a.PeriodEnd), "categories": a.Categories, "attached": attached,
		})
	})
	return a, attached, err
}

// Refresh attaches period evidence stored since the draft was created (or
// last refreshed); records removed by hand stay out.
func (s *Service) Refresh(ctx context.Context, orgID uuid.UUID, actor audit.Actor, id uuid.UUID) (int64, error) {
	var attached int64
	err := s.step(ctx, orgID, id, func(tx pgx.Tx, a dbsqlc.Assessment, now time.Time) error {
		if StatusOf(a) != StatusDraft {
			return ErrState
		}
		var err error
		if attached, err = s.attachPeriod(ctx, tx, a, now); err != nil {
			return err
		}
		return record(ctx, tx, a, actor, now, "assessment.refresh", map[string]any{"attached": attached})
	})
	return attached, err
}

// Attach adds one record to a draft by hand.
func (s *Service) Attach(ctx context.Context, orgID uuid.UUID, actor audit.Actor, id uuid.UUID, evidenceID int64) error {
	return s.step(ctx, orgID, id, func(tx pgx.Tx, a dbsqlc.Assessment, now time.Time) error {
		if StatusOf(a) != StatusDraft {
			return ErrState
		}
		n, err := q.AssessmentAttachOne(ctx, tx, dbsqlc.AssessmentAttachOneParams{AssessmentID: a.ID, EvidenceID: evidenceID, Now: now})
		if err != nil {
			return fmt.Errorf("assessment: attach: %w", err)
		}
		if n == 0 {
			return nil // already included, or no such record in this organization
		}
		return record(ctx, tx, a, actor, now, "assessment.attach", map[string]any{"evidence_id": evidenceID})
	})
}

// Detach removes one record from a draft; a later refresh leaves it out.
func (s *Service) Detach(ctx context.Context, orgID uuid.UUID, actor audit.Actor, id uuid.UUID, evidenceID int64) error {
	return s.step(ctx, orgID, id, func(tx pgx.Tx, a dbsqlc.Assessment, now time.Time) error {
		if StatusOf(a) != StatusDraft {
			return ErrState
		}
		n, err := q.AssessmentDetach(ctx, tx, dbsqlc.AssessmentDetachParams{AssessmentID: a.ID, EvidenceID: evidenceID})
		if err != nil {
			return fmt.Errorf("assessment: detach: %w", err)
		}
		if n == 0 {
			return nil
		}
		return record(ctx, tx, a, actor, now, "assessment.detach", map[string]any{"evidence_id": evidenceID})
	})
}

// Submit moves a draft to review: its evidence no longer changes by hand.
func (s *Service) Submit(ctx context.Context, orgID uuid.UUID, actor audit.Actor, id uuid.UUID) error {
	return s.move(ctx, orgID, actor, id, StatusDraft, StatusReview, "assessment.submit")
}

// Reopen returns an assessment in review to draft.
func (s *Service) Reopen(ctx context.Context, orgID uuid.UUID, actor audit.Actor, id uuid.UUID) error {
	return s.move(ctx, orgID, actor, id, StatusReview, StatusDraft, "assessment.reopen")
}

func (s *Service) move(ctx context.Context, orgID uuid.UUID, actor audit.Actor, id uuid.UUID, from, to Status, action string) error {
	return s.step(ctx, orgID, id, func(tx pgx.Tx, a dbsqlc.Assessment, now time.Time) error {
		if StatusOf(a) != from {
			return ErrState
		}
		if _, err := q.AssessmentSetStatus(ctx, tx, dbsqlc.AssessmentSetStatusParams{ID: a.ID, Status: string(to), Now: now, UserID: actor.ID}); err != nil {
			return fmt.Errorf("assessment: %s: %w", to, err)
		}
		return record(ctx, tx, a, actor, now, action, nil)
	})
}

// Approve freezes an assessment in review: records removed by hand leave
// the set, the root hash, the coverage of its scope and the criteria marked
// not applicable at this moment are stored, and from then on the database
// refuses any change to it.
func (s *Service) Approve(ctx context.Context, orgID uuid.UUID, actor audit.Actor, id uuid.UUID) (dbsqlc.Assessment, error) {
	var out dbsqlc.Assessment
	err := s.step(ctx, orgID, id, func(tx pgx.Tx, a dbsqlc.Assessment, now time.Time) error {
		if StatusOf(a) != StatusReview {
			return ErrState
		}
		if err := q.AssessmentDropRemoved(ctx, tx, a.ID); err != nil {
			return fmt.Errorf("assessment: drop removed: %w", err)
		}
		root, err := q.AssessmentRootHash(ctx, tx, a.ID)
		if err != nil {
			return fmt.Errorf("assessment: root hash: %w", err)
		}
		in, err := coverage.Load(ctx, tx, s.Registry, now, Scope(a))
		if err != nil {
			return err
		}
		snap, err := json.Marshal(NewCoverageRecord(coverage.Compute(in)))
		if err != nil {
			return err
		}
		notApplicable, err := recordScope(ctx, tx, a)
		if err != nil {
			return err
		}
		out, err = q.AssessmentApprove(ctx, tx, dbsqlc.AssessmentApproveParams{ID: a.ID, Now: &now, UserID: actor.ID,
			RootHash: root.RootHash, EvidenceCount: &root.Records, Coverage: snap})
		if err != nil {
			return fmt.Errorf("assessment: approve: %w", err)
		}
		return record(ctx, tx, a, actor, now, "assessment.approve", map[string]any{
			"root_hash": fmt.Sprintf("%x", root.RootHash), "records": root.Records, "not_applicable": notApplicable,
		})
	})
	return out, err
}

// Delete discards a draft and its attachments. A draft that a working
// invitation or an auditor is limited to is refused with a *HeldError that
// names them (they would otherwise lose their limit, or the database would
// refuse the orphan); links from ended invitations and revoked auditors are
// cleared in the same transaction and counted in the audit row.
func (s *Service) Delete(ctx context.Context, orgID uuid.UUID, actor audit.Actor, id uuid.UUID) error {
	return s.step(ctx, orgID, id, func(tx pgx.Tx, a dbsqlc.Assessment, now time.Time) error {
		if StatusOf(a) != StatusDraft {
			return ErrState
		}
		holders, err := q.AssessmentHolders(ctx, tx, dbsqlc.AssessmentHoldersParams{ID: a.ID, Now: now})
		if err != nil {
			return fmt.Errorf("assessment: list holders: %w", err)
		}
		if len(holders) > 0 {
			held := &HeldError{}
			for _, h := range holders {
				if h.Holder == "invitation" {
					held.Invitations = append(held.Invitations, h.Email)
				} else {
					held.Auditors = append(held.Auditors, h.Email)
				}
			}
			return held
		}
		invitations, err := q.AssessmentReleaseInvitations(ctx, tx, dbsqlc.AssessmentReleaseInvitationsParams{ID: a.ID, Now: now})
		if err != nil {
			return fmt.Errorf("assessment: release ended invitations: %w", err)
		}
		memberships, err := q.AssessmentReleaseMemberships(ctx, tx, a.ID)
		if err != nil {
			return fmt.Errorf("assessment: release revoked auditors: %w", err)
		}
		if err := record(ctx, tx, a, actor, now, "assessment.delete", map[string]any{"name": a.Name,
			"released_ended_invitations": invitations, "released_revoked_auditors": memberships}); err != nil {
			return err
		}
		if _, err := q.AssessmentDelete(ctx, tx, a.ID); err != nil {
			return fmt.Errorf("assessment: delete: %w", err)
		}
		return nil
	})
}

// step runs fn on the locked assessment in one organization transaction.
func (s *Service) step(ctx context.Context, orgID, id uuid.UUID, fn func(pgx.Tx, dbsqlc.Assessment, time.Time) error) error {
	return db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		a, err := q.AssessmentGetForUpdate(ctx, tx, id)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("assessment: load: %w", err)
		}
		return fn(tx, a, s.Clock.Now())
	})
}

func (s *Service) attachPeriod(ctx context.Context, tx pgx.Tx, a dbsqlc.Assessment, now time.Time) (int64, error) {
	n, err := q.AssessmentAttachPeriod(ctx, tx, dbsqlc.AssessmentAttachPeriodParams{AssessmentID: a.ID, Now: now,
		Kinds: Kinds(s.Registry, a), PeriodStart: a.PeriodStart, PeriodEndExclusive: a.PeriodEnd.AddDate(0, 0, 1)})
	if err != nil {
		return 0, fmt.Errorf("assessment: attach period evidence: %w", err)
	}
	return n, nil
}

// Scope is the criteria an assessment covers.
func Scope(a dbsqlc.Assessment) []coverage.Criterion { return coverage.InScope(a.Categories) }

// Kinds lists the evidence kinds that support a criterion in the
// assessment's scope: the connectors' kinds that do, and document
// revisions, which support whichever criteria people link them to.
func Kinds(registry *connector.Registry, a dbsqlc.Assessment) []string {
	inScope := map[string]bool{}
	for _, c := range Scope(a) {
		inScope[c.ID] = true
	}
	kinds := []string{document.Kind}
	for _, c := range registry.All() {
		for _, k := range c.Definition().Evidence {
			if slices.ContainsFunc(k.Criteria, func(id string) bool { return inScope[id] }) {
				kinds = append(kinds, k.Kind)
			}
		}
	}
	return kinds
}

func record(ctx context.Context, tx pgx.Tx, a dbsqlc.Assessment, actor audit.Actor, now time.Time, action string, details map[string]any) error {
	return audit.Record(ctx, tx, a.OrgID, now, actor, audit.Event{Action: action, TargetType: "assessment", TargetID: a.ID.String(), Details: details})
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
