package document

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/alert"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/coverage"
)

// Kinds of alert about a document.
const (
	// KindLapsed: past its review date, the document no longer counts as
	// current and the criteria it supports are stale.
	KindLapsed alert.Kind = "document_lapsed"
	// KindReviewDue: the review date is at most ReminderBefore away.
	KindReviewDue alert.Kind = "document_review_due"
	// KindTampered: stored bytes no longer match their hash.
	KindTampered alert.Kind = "document_tampered"
)

// ReminderBefore is how long before its review date a document's owner is
// reminded.
const ReminderBefore = 14 * 24 * time.Hour

// Current reports whether a document is within its review date at now: a
// document is current through the whole of its review day.
func Current(nextReviewOn, now time.Time) bool {
	return coverage.DocumentCurrent(nextReviewOn, now)
}

// ReviewState is where a document due for review on nextReviewOn stands at
// now: KindLapsed past its review date, KindReviewDue within ReminderBefore
// of it, empty otherwise. The lapse alerts and the dashboard both read it.
func ReviewState(nextReviewOn, now time.Time) alert.Kind {
	switch {
	case !Current(nextReviewOn, now):
		return KindLapsed
	case !day(now).Before(day(nextReviewOn).Add(-ReminderBefore)):
		return KindReviewDue
	}
	return ""
}

// desired is which lapse alerts the document calls for at now, with texts.
func desired(doc dbsqlc.Document, owner string, now time.Time) map[alert.Kind][2]string {
	out := map[alert.Kind][2]string{}
	due := doc.NextReviewOn.Format(time.DateOnly)
	switch ReviewState(doc.NextReviewOn, now) {
	case KindLapsed:
		out[KindLapsed] = [2]string{
			doc.Title + " has lapsed",
			"Its review was due on " + due + ". The criteria it supports count as stale until a new revision is uploaded. Owner: " + owner + ".",
		}
	case KindReviewDue:
		out[KindReviewDue] = [2]string{
			doc.Title + " is due for review on " + due,
			"Upload a new revision by " + due + ", or the criteria it supports become stale. Owner: " + owner + ".",
		}
	}
	return out
}

// Reconcile opens the lapse alerts the document's review date calls for and
// resolves those it no longer does, in tx (scoped to the document's
// organization), auditing each and telling notify. A tamper alert is left
// for a person to look at.
func Reconcile(ctx context.Context, tx pgx.Tx, doc dbsqlc.Document, owner string, now time.Time, notify alert.Notifier) (opened, resolved int, err error) {
	want := desired(doc, owner, now)
	open, err := q.DocumentAlertsOpen(ctx, tx, &doc.ID)
	if err != nil {
		return 0, 0, fmt.Errorf("document: read open alerts: %w", err)
	}
	isOpen := map[alert.Kind]bool{}
	for _, a := range open {
		isOpen[alert.Kind(a.Kind)] = true
		if _, still := want[alert.Kind(a.Kind)]; still || alert.Kind(a.Kind) == KindTampered {
			continue
		}
		if _, err := q.AlertResolve(ctx, tx, dbsqlc.AlertResolveParams{ID: a.ID, Now: now}); err != nil {
			return opened, resolved, fmt.Errorf("document: resolve alert: %w", err)
		}
		if err := alertChanged(ctx, tx, doc, a, "alert.resolve", alert.EventResolved, now, notify); err != nil {
			return opened, resolved, err
		}
		resolved++
	}
	for _, kind := range []alert.Kind{KindLapsed, KindReviewDue} {
		text, ok := want[kind]
		if !ok || isOpen[kind] {
			continue
		}
		a, err := openAlert(ctx, tx, doc, kind, text, now, notify)
		if err != nil {
			return opened, resolved, err
		}
		if a != nil {
			opened++
		}
	}
	return opened, resolved, nil
}

// openAlert opens an alert of kind about doc unless one is open; nil means
// one already was.
func openAlert(ctx context.Context, tx pgx.Tx, doc dbsqlc.Document, kind alert.Kind, text [2]string, now time.Time, notify alert.Notifier) (*dbsqlc.Alert, error) {
	a, err := q.DocumentAlertOpen(ctx, tx, dbsqlc.DocumentAlertOpenParams{OrgID: doc.OrgID, DocumentID: &doc.ID, Kind: string(kind),
		Title: text[0], Message: text[1], OpenedAt: now, AssigneeID: &doc.OwnerUserID})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil // opened concurrently
	}
	if err != nil {
		return nil, fmt.Errorf("document: open alert: %w", err)
	}
	return &a, alertChanged(ctx, tx, doc, a, "alert.open", alert.EventOpened, now, notify)
}

func alertChanged(ctx context.Context, tx pgx.Tx, doc dbsqlc.Document, a dbsqlc.Alert, action, event string, now time.Time, notify alert.Notifier) error {
	if err := audit.Record(ctx, tx, doc.OrgID, now, audit.SystemActor("alerts"), audit.Event{
		Action: action, TargetType: "document", TargetID: doc.ID.String(),
		Details: map[string]any{"alert_id": a.ID.String(), "kind": a.Kind, "title": a.Title},
	}); err != nil {
		return err
	}
	if notify == nil {
		return nil
	}
	return notify.AlertChanged(ctx, tx, doc.OrgID, a.ID, event)
}

// ReconcileOne reconciles one document's lapse alerts at now, in tx.
func ReconcileOne(ctx context.Context, tx pgx.Tx, id uuid.UUID, now time.Time, notify alert.Notifier) (int, error) {
	doc, err := q.DocumentGet(ctx, tx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil // deleted since it was listed
	}
	if err != nil {
		return 0, fmt.Errorf("document: load: %w", err)
	}
	opened, _, err := Reconcile(ctx, tx, documentOf(doc), doc.OwnerEmail, now, notify)
	return opened, err
}

// documentOf is the document part of a DocumentGet row.
func documentOf(r dbsqlc.DocumentGetRow) dbsqlc.Document {
	return dbsqlc.Document{ID: r.ID, OrgID: r.OrgID, Title: r.Title, Description: r.Description, OwnerUserID: r.OwnerUserID,
		ReviewCadence: r.ReviewCadence, NextReviewOn: r.NextReviewOn, PeriodStart: r.PeriodStart, PeriodEnd: r.PeriodEnd,
		CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, UpdatedAt: r.UpdatedAt, DeletedAt: r.DeletedAt}
}
