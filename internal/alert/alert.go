// Package alert opens and resolves alerts about connections: evidence gone
// stale, a connection that needs re-authorization, and repeated sync
// failures. Reconcile compares a connection's state with its open alerts, so
// an alert opens once (a partial unique index guarantees it) and resolves
// when the state recovers; each open and resolve is audited and handed to
// the notifier (the webhook delivery job) in the same transaction.
package alert

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/coverage"
)

var q = dbsqlc.New()

// Kinds of alert.
const (
	KindStale       = "stale"
	KindNeedsReauth = "needs_reauth"
	KindSyncFailing = "sync_failing"
)

// FailuresBeforeAlert is how many syncs in a row must fail to open an alert.
const FailuresBeforeAlert = 3

// Events a notifier receives.
const (
	EventOpened   = "opened"
	EventResolved = "resolved"
)

// Notifier is told about every open and resolve, inside the transaction.
type Notifier interface {
	AlertChanged(ctx context.Context, tx pgx.Tx, orgID, alertID uuid.UUID, event string) error
}

// desired is which alerts a connection's state calls for, with their texts.
func desired(conn dbsqlc.Connection, now time.Time) map[string][2]string {
	out := map[string][2]string{}
	if conn.DeletedAt != nil || connector.Status(conn.Status) == connector.StatusPending {
		return out
	}
	staleAfter := time.Duration(conn.StaleAfterSeconds) * time.Second
	since := conn.LastSuccessAt
	if since == nil {
		since = conn.ConnectedAt
	}
	if since != nil && coverage.FreshnessOf(since, staleAfter, now) == coverage.Stale {
		hours := int(now.Sub(*since).Hours())
		out[KindStale] = [2]string{
			"Evidence from " + conn.DisplayName + " is stale",
			"No successful sync for " + strconv.Itoa(hours) + " hours (threshold " + strconv.Itoa(int(staleAfter.Hours())) +
				" hours). The controls its evidence supports count as stale until it syncs again.",
		}
	}
	if connector.Status(conn.Status) == connector.StatusNeedsReauth {
		out[KindNeedsReauth] = [2]string{
			conn.DisplayName + " needs re-authorization",
			"The provider refused attest's authorization, so syncs are paused. Re-authorize the connection to resume. " + conn.StatusReason,
		}
	}
	if conn.ConsecutiveFailures >= FailuresBeforeAlert {
		out[KindSyncFailing] = [2]string{
			conn.DisplayName + " keeps failing to sync",
			strconv.Itoa(int(conn.ConsecutiveFailures)) + " syncs in a row failed. Open the connection's sync log for the errors.",
		}
	}
	return out
}

// Reconcile opens the alerts the connection's state calls for and resolves
// the ones it no longer does, in tx (scoped to the connection's
// organization). It reports how many alerts it opened and resolved.
func Reconcile(ctx context.Context, tx pgx.Tx, conn dbsqlc.Connection, now time.Time, notify Notifier) (opened, resolved int, err error) {
	want := desired(conn, now)
	open, err := q.AlertsOpenForConnection(ctx, tx, conn.ID)
	if err != nil {
		return 0, 0, fmt.Errorf("alert: read open alerts: %w", err)
	}
	isOpen := map[string]bool{}
	for _, a := range open {
		isOpen[a.Kind] = true
		if _, still := want[a.Kind]; still {
			continue
		}
		if _, err := q.AlertResolve(ctx, tx, dbsqlc.AlertResolveParams{ID: a.ID, Now: now}); err != nil {
			return opened, resolved, fmt.Errorf("alert: resolve: %w", err)
		}
		if err := record(ctx, tx, conn, a.ID, "alert.resolve", a.Kind, a.Title, now); err != nil {
			return opened, resolved, err
		}
		if err := notifyChange(ctx, tx, notify, conn.OrgID, a.ID, EventResolved); err != nil {
			return opened, resolved, err
		}
		resolved++
	}
	for _, kind := range []string{KindStale, KindNeedsReauth, KindSyncFailing} {
		text, ok := want[kind]
		if !ok || isOpen[kind] {
			continue
		}
		a, err := q.AlertOpen(ctx, tx, dbsqlc.AlertOpenParams{OrgID: conn.OrgID, ConnectionID: conn.ID, Kind: kind,
			Title: text[0], Message: text[1], OpenedAt: now})
		if errors.Is(err, pgx.ErrNoRows) {
			continue // opened concurrently by another reconciler
		}
		if err != nil {
			return opened, resolved, fmt.Errorf("alert: open: %w", err)
		}
		if err := record(ctx, tx, conn, a.ID, "alert.open", kind, a.Title, now); err != nil {
			return opened, resolved, err
		}
		if err := notifyChange(ctx, tx, notify, conn.OrgID, a.ID, EventOpened); err != nil {
			return opened, resolved, err
		}
		opened++
	}
	return opened, resolved, nil
}

func record(ctx context.Context, tx pgx.Tx, conn dbsqlc.Connection, alertID uuid.UUID, action, kind, title string, now time.Time) error {
	return audit.Record(ctx, tx, conn.OrgID, now, audit.SystemActor("alerts"), audit.Event{
		Action: action, TargetType: "connection", TargetID: conn.ID.String(),
		Details: map[string]any{"alert_id": alertID.String(), "kind": kind, "title": title},
	})
}

func notifyChange(ctx context.Context, tx pgx.Tx, n Notifier, orgID, alertID uuid.UUID, event string) error {
	if n == nil {
		return nil
	}
	return n.AlertChanged(ctx, tx, orgID, alertID, event)
}

// SyncHook reconciles a connection's alerts when a sync finishes, so a
// needs-re-authorization alert opens at once and a good sync resolves a
// stale one.
type SyncHook struct {
	Notify Notifier
	Now    func() time.Time
}

// RunFinished reconciles the connection's alerts in the run's transaction.
func (h SyncHook) RunFinished(ctx context.Context, tx pgx.Tx, conn dbsqlc.Connection) error {
	_, _, err := Reconcile(ctx, tx, conn, h.Now(), h.Notify)
	return err
}
