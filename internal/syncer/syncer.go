package syncer

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/evidence"
	"github.com/attesthq/attest/internal/metrics"
	"github.com/attesthq/attest/internal/secret"
	"github.com/attesthq/attest/internal/vault"
)

var q = dbsqlc.New()

// Status is how a run went (connector_runs.status).
type Status string

// Run statuses.
const (
	StatusRunning   Status = "running"
	StatusSucceeded Status = "succeeded"
	StatusPartial   Status = "partial"
	StatusFailed    Status = "failed"
)

// Trigger is why a sync runs (connector_runs.trigger).
type Trigger string

// Sync triggers.
const (
	// TriggerFirst is the sync queued when a connection becomes active.
	TriggerFirst Trigger = "first"
	// TriggerManual is a sync someone asked for, or the one after a
	// re-authorization.
	TriggerManual Trigger = "manual"
	// TriggerSchedule is the periodic sync on the definition's cadence.
	TriggerSchedule Trigger = "schedule"
)

// Errors the job turns into queue decisions.
var (
	// ErrNotSyncable: the connection is not active (revoked, pending, or
	// waiting for re-authorization); nothing was done.
	ErrNotSyncable = errors.New("syncer: the connection is not active")
	// ErrBusy: another process is syncing this connection right now.
	ErrBusy = errors.New("syncer: the connection is being synced elsewhere")
)

// Hooks are called after a run finishes, in its transaction, with the
// connection as the run left it (alerts reconcile here).
type Hooks interface {
	RunFinished(ctx context.Context, tx pgx.Tx, conn dbsqlc.Connection) error
}

// Syncer runs syncs.
type Syncer struct {
	Pool     *pgxpool.Pool
	Clock    clock.Clock
	Vault    *vault.Vault
	Registry *connector.Registry
	Evidence *evidence.Store
	Log      *slog.Logger
	// Hooks, when set, learn of every finished run.
	Hooks Hooks
	// Metrics, when set, counts runs and the evidence they stored.
	Metrics *metrics.Set
}

// Request names one sync.
type Request struct {
	OrgID        uuid.UUID
	ConnectionID uuid.UUID
	Trigger      Trigger
	JobID        int64
	Attempt      int
}

// Outcome is how a run ended.
type Outcome struct {
	RunID      uuid.UUID
	Status     Status
	ErrorClass connector.ErrorClass
	Error      string
	Datasets   []DatasetOutcome
	Checks     []connector.CheckResult
	NewRows    int
}

// DatasetOutcome is one dataset's result with its write counts.
type DatasetOutcome struct {
	connector.DatasetResult
	evidence.Counts
}

// Run syncs one connection. It returns ErrNotSyncable or ErrBusy without
// running, a *connector.SyncError when the sync could not authenticate, and
// an error when every dataset failed for a reason worth retrying.
func (s *Syncer) Run(ctx context.Context, req Request) (Outcome, error) {
	release, ok, err := db.TryLock(ctx, s.Pool, lockKey(req.ConnectionID))
	if err != nil {
		return Outcome{}, fmt.Errorf("syncer: %w", err)
	}
	if !ok {
		return Outcome{}, ErrBusy
	}
	defer release()

	watch := metrics.StartStopwatch()
	start, err := s.start(ctx, req)
	if err != nil {
		return Outcome{}, err
	}
	c := s.Registry.Get(start.conn.Connector)
	writers := newWriterSet(ctx, s.Evidence, start.conn, start.run.ID, c.Datasets(), start.now)
	defer writers.abortAll(ctx)

	result, syncErr := connector.Run(ctx, c, connector.SyncRequest{
		Settings: start.conn.Settings, Credentials: start.creds, Rotate: s.rotator(start.conn),
		Cursors: start.cursors, Params: connector.StoredParams(c.Checks(), start.conn.CheckParams), Now: start.now,
		Validators: validatorStore{pool: s.Pool, orgID: start.conn.OrgID, connID: start.conn.ID},
	}, writers.get)
	out := Outcome{RunID: start.run.ID}
	if syncErr == nil && ctx.Err() != nil {
		syncErr = &connector.SyncError{Class: connector.ErrorTransient, Err: ctx.Err(),
			Problem: connector.Problem{Title: "The sync was interrupted (shutdown or time limit); it will be retried"}}
	}
	if syncErr != nil {
		writers.abortAll(ctx)
		out, err := s.failAuth(ctx, start, syncErr)
		s.observe(start.conn.Connector, out, watch)
		return out, err
	}
	out.Datasets = writers.commit(ctx, result.Datasets)
	out.Checks = result.Checks
	out.Status, out.ErrorClass, out.Error = runStatus(out.Datasets)
	for _, d := range out.Datasets {
		out.NewRows += d.New
	}
	if err := s.finish(ctx, start, out, c); err != nil {
		return out, err
	}
	s.observe(start.conn.Connector, out, watch)
	if out.Status == StatusFailed && out.ErrorClass != connector.ErrorConfiguration && out.ErrorClass != connector.ErrorLicence {
		return out, fmt.Errorf("syncer: every dataset failed: %s", out.Error)
	}
	return out, nil
}

// lockKey derives the connection's advisory-lock key: two processes never
// sync one connection at once.
func lockKey(id uuid.UUID) int64 {
	h := sha256.Sum256(append([]byte("attest-sync:"), id[:]...))
	return int64(binary.BigEndian.Uint64(h[:8]))
}

// runStart is what the run's first transaction established.
type runStart struct {
	conn    dbsqlc.Connection
	run     dbsqlc.ConnectorRun
	creds   connector.Credentials
	cursors map[string]string
	now     time.Time
}

func (s *Syncer) start(ctx context.Context, req Request) (runStart, error) {
	st := runStart{now: s.Clock.Now()}
	err := db.InOrg(ctx, s.Pool, req.OrgID, func(tx pgx.Tx) error {
		conn, err := q.ConnectionGetForUpdate(ctx, tx, req.ConnectionID)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotSyncable
		}
		if err != nil {
			return fmt.Errorf("syncer: load connection: %w", err)
		}
		if connector.Status(conn.Status) != connector.StatusActive || conn.DeletedAt != nil || s.Registry.Get(conn.Connector) == nil {
			return ErrNotSyncable
		}
		st.conn = conn
		if err := q.RunInterruptStale(ctx, tx, dbsqlc.RunInterruptStaleParams{ConnectionID: conn.ID, Now: st.now}); err != nil {
			return fmt.Errorf("syncer: close stale runs: %w", err)
		}
		jobID := &req.JobID
		if req.JobID == 0 {
			jobID = nil
		}
		st.run, err = q.RunStart(ctx, tx, dbsqlc.RunStartParams{OrgID: conn.OrgID, ConnectionID: conn.ID, Trigger: string(req.Trigger),
			JobID: jobID, Attempt: int32(max(req.Attempt, 1)), StartedAt: st.now})
		if err != nil {
			return fmt.Errorf("syncer: record run: %w", err)
		}
		if err := q.ConnectionSyncStarted(ctx, tx, dbsqlc.ConnectionSyncStartedParams{ID: conn.ID, RunID: &st.run.ID, Now: st.now}); err != nil {
			return fmt.Errorf("syncer: mark sync: %w", err)
		}
		sec, err := s.Vault.Open(ctx, tx, conn.OrgID, conn.ID, vault.PurposeClientSecret, conn.ClientSecretSealed)
		if err != nil {
			return err
		}
		var rt []byte // a kind without a token (a static token) has none sealed
		if len(conn.RefreshTokenSealed) > 0 {
			if rt, err = s.Vault.Open(ctx, tx, conn.OrgID, conn.ID, vault.PurposeRefreshToken, conn.RefreshTokenSealed); err != nil {
				return err
			}
		}
		st.creds = connector.Credentials{Secret: secret.New(string(sec)), Token: secret.New(string(rt))}
		st.cursors, err = lastCursors(ctx, tx, conn.ID)
		return err
	})
	return st, err
}

// rotator seals and stores rotated credentials (the token part) at once, in
// its own transaction, before the sync goes on with what the rotation gave.
func (s *Syncer) rotator(conn dbsqlc.Connection) func(context.Context, connector.Credentials) error {
	return func(ctx context.Context, creds connector.Credentials) error {
		return db.InOrg(ctx, s.Pool, conn.OrgID, func(tx pgx.Tx) error {
			sealed, err := s.Vault.Seal(ctx, tx, conn.OrgID, conn.ID, vault.PurposeRefreshToken, []byte(creds.Token.Reveal()))
			if err != nil {
				return err
			}
			n, err := q.ConnectionSaveRefreshToken(ctx, tx, dbsqlc.ConnectionSaveRefreshTokenParams{ID: conn.ID, RefreshTokenSealed: sealed, Now: s.Clock.Now()})
			if err != nil {
				return fmt.Errorf("syncer: save rotated credentials: %w", err)
			}
			if n == 0 {
				return errors.New("syncer: the connection was revoked during the sync")
			}
			return nil
		})
	}
}
