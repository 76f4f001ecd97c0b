package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/pgtext"
)

// errorRank orders classes by how much they say about the run.
var errorRank = map[connector.ErrorClass]int{
	connector.ErrorNeedsReauth: 6, connector.ErrorConfiguration: 5, connector.ErrorMalformed: 4,
	connector.ErrorThrottled: 3, connector.ErrorTransient: 2, connector.ErrorLicence: 1,
}

// runStatus is succeeded when every dataset was read, partial when some
// were, and failed when none were; the class and message are the worst
// dataset's.
func runStatus(ds []DatasetOutcome) (status Status, class connector.ErrorClass, message string) {
	ok := 0
	var msgs []string
	for _, d := range ds {
		if d.Status == connector.DatasetOK {
			ok++
			continue
		}
		if errorRank[d.ErrorClass] > errorRank[class] {
			class = d.ErrorClass
		}
		msgs = append(msgs, d.Dataset+": "+d.Error)
	}
	switch {
	case ok == len(ds):
		return StatusSucceeded, "", ""
	case ok > 0:
		return StatusPartial, class, strings.Join(msgs, "; ")
	}
	return StatusFailed, class, strings.Join(msgs, "; ")
}

// finish stores the checks, closes the run, reschedules the connection and
// writes the audit row, in one transaction.
func (s *Syncer) finish(ctx context.Context, st runStart, out Outcome, c connector.Connector) error {
	ctx = context.WithoutCancel(ctx)
	now := s.Clock.Now()
	def := c.Definition()
	return db.InOrg(ctx, s.Pool, st.conn.OrgID, func(tx pgx.Tx) error {
		if err := s.storeChecks(ctx, tx, st, out.Checks, now); err != nil {
			return err
		}
		if err := closeRun(ctx, tx, st.run.ID, out, now); err != nil {
			return err
		}
		ok := out.Status != StatusFailed
		if err := q.ConnectionSyncFinished(ctx, tx, dbsqlc.ConnectionSyncFinishedParams{
			ID: st.conn.ID, NextSyncAt: st.now.Add(def.Cadence), Succeeded: ok, Now: now,
		}); err != nil {
			return fmt.Errorf("syncer: reschedule: %w", err)
		}
		if out.ErrorClass == connector.ErrorNeedsReauth {
			if err := q.ConnectionNeedsReauth(ctx, tx, dbsqlc.ConnectionNeedsReauthParams{ID: st.conn.ID, StatusReason: def.Provider + " refused attest's authorization during a sync"}); err != nil {
				return err
			}
		}
		action := "connection.sync"
		if !ok {
			action = "connection.sync_failed"
		}
		details := map[string]any{"run_id": out.RunID.String(), "status": out.Status, "trigger": st.run.Trigger, "new_evidence": out.NewRows}
		if out.ErrorClass != "" {
			details["error_class"] = out.ErrorClass
		}
		if err := audit.Record(ctx, tx, st.conn.OrgID, now, audit.SystemActor("sync"), audit.Event{
			Action: action, TargetType: "connection", TargetID: st.conn.ID.String(), Details: details,
		}); err != nil {
			return err
		}
		return s.runHooks(ctx, tx, st.conn.ID)
	})
}

// closeRun finishes the run row with its datasets and totals.
func closeRun(ctx context.Context, tx pgx.Tx, runID uuid.UUID, out Outcome, now time.Time) error {
	datasets := map[string]DatasetOutcome{}
	var requests, throttled, retries int
	for _, d := range out.Datasets {
		datasets[d.Dataset] = d
		requests, throttled, retries = requests+d.Requests, throttled+d.Throttled, retries+d.Retries
	}
	raw, err := json.Marshal(datasets)
	if err != nil {
		return err
	}
	if err := q.RunFinish(ctx, tx, dbsqlc.RunFinishParams{
		ID: runID, Status: string(out.Status), FinishedAt: now, Datasets: raw, ErrorClass: string(out.ErrorClass),
		ErrorMessage: pgtext.Cut(out.Error, 2000), EvidenceNew: int32(out.NewRows),
		Requests: int32(requests), Throttled: int32(throttled), Retries: int32(retries),
	}); err != nil {
		return fmt.Errorf("syncer: close run: %w", err)
	}
	return nil
}

// failAuth ends a run that could not collect at all (authentication failed,
// or the sync was interrupted): the run fails, the connection needs
// re-authorization when the grant is gone, and the error goes back to the job.
func (s *Syncer) failAuth(ctx context.Context, st runStart, syncErr error) (Outcome, error) {
	var se *connector.SyncError
	class, msg := connector.ErrorTransient, syncErr.Error()
	if errors.As(syncErr, &se) {
		class = se.Class
		msg = se.Problem.Title
		if se.Problem.Code != "" {
			msg += " (" + se.Problem.Code + ")"
		}
	}
	out := Outcome{RunID: st.run.ID, Status: StatusFailed, ErrorClass: class, Error: msg}
	ctx = context.WithoutCancel(ctx)
	now := s.Clock.Now()
	err := db.InOrg(ctx, s.Pool, st.conn.OrgID, func(tx pgx.Tx) error {
		if err := closeRun(ctx, tx, st.run.ID, out, now); err != nil {
			return err
		}
		reauth := class == connector.ErrorNeedsReauth || class == connector.ErrorConfiguration
		if reauth {
			if err := q.ConnectionNeedsReauth(ctx, tx, dbsqlc.ConnectionNeedsReauthParams{ID: st.conn.ID, StatusReason: msg}); err != nil {
				return err
			}
		}
		if err := q.ConnectionSyncFinished(ctx, tx, dbsqlc.ConnectionSyncFinishedParams{
			ID: st.conn.ID, NextSyncAt: st.now.Add(s.Registry.Get(st.conn.Connector).Definition().Cadence), Succeeded: false, Now: now,
		}); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, st.conn.OrgID, now, audit.SystemActor("sync"), audit.Event{
			Action: "connection.sync_failed", TargetType: "connection", TargetID: st.conn.ID.String(),
			Details: map[string]any{"run_id": st.run.ID.String(), "error_class": class, "error": msg, "needs_reauth": reauth},
		}); err != nil {
			return err
		}
		return s.runHooks(ctx, tx, st.conn.ID)
	})
	if err != nil {
		return out, err
	}
	return out, syncErr
}

// runHooks hands the connection, as the run left it, to the hooks.
func (s *Syncer) runHooks(ctx context.Context, tx pgx.Tx, connID uuid.UUID) error {
	if s.Hooks == nil {
		return nil
	}
	conn, err := q.ConnectionGet(ctx, tx, connID)
	if err != nil {
		return fmt.Errorf("syncer: reload connection: %w", err)
	}
	return s.Hooks.RunFinished(ctx, tx, conn)
}
