package evidence

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/internal/connector"
)

// Store opens dataset writers.
type Store struct {
	Pool *pgxpool.Pool
}

// Counts are what one dataset write did.
type Counts struct {
	Received  int `json:"received"`
	New       int `json:"new"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
	Removed   int `json:"removed"`
}

// EventRetention is how long event records (risky sign-ins) stay in the
// current-state projection.
const EventRetention = 30 * 24 * time.Hour

// Writer writes one dataset of one run atomically.
type Writer struct {
	tx      pgx.Tx
	orgID   uuid.UUID
	connID  uuid.UUID
	runID   uuid.UUID
	dataset connector.Dataset
	now     time.Time
	current map[subjectKey][32]byte
	seen    map[subjectKey]struct{}
	counts  Counts
}

type subjectKey struct{ kind, subject string }

var stageColumns = []string{"kind", "schema_version", "subject_key", "subject_label", "payload", "fingerprint", "observed_at"}

// Begin opens the dataset's transaction, reads the subjects' current
// fingerprints and creates the staging table.
func (s *Store) Begin(ctx context.Context, orgID, connID, runID uuid.UUID, ds connector.Dataset, now time.Time) (*Writer, error) {
	tx, err := s.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("evidence: begin %s: %w", ds.Key, err)
	}
	w := &Writer{tx: tx, orgID: orgID, connID: connID, runID: runID, dataset: ds, now: now,
		current: map[subjectKey][32]byte{}, seen: map[subjectKey]struct{}{}}
	if err := w.prepare(ctx); err != nil {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("evidence: begin %s: %w", ds.Key, err)
	}
	return w, nil
}

func (w *Writer) prepare(ctx context.Context) error {
	if _, err := w.tx.Exec(ctx, "SELECT set_config('app.org_id', $1, true)", w.orgID.String()); err != nil {
		return err
	}
	rows, err := w.tx.Query(ctx, `SELECT kind, subject_key, fingerprint FROM evidence_current
		WHERE connection_id = $1 AND kind = ANY($2)`, w.connID, w.dataset.Kinds)
	if err != nil {
		return err
	}
	var k subjectKey
	var fp []byte
	_, err = pgx.ForEachRow(rows, []any{&k.kind, &k.subject, &fp}, func() error {
		w.current[k] = [32]byte(fp)
		return nil
	})
	if err != nil {
		return err
	}
	_, err = w.tx.Exec(ctx, `CREATE TEMP TABLE evidence_stage (
		kind text, schema_version integer, subject_key text, subject_label text,
		payload jsonb, fingerprint bytea, observed_at timestamptz) ON COMMIT DROP`)
	return err
}

// Put takes one page of records: unchanged ones are counted, the rest staged.
// A subject repeated within the dataset (a replayed page) counts once.
func (w *Writer) Put(ctx context.Context, records []connector.Record) error {
	rows := make([][]any, 0, len(records))
	for _, r := range records {
		k := subjectKey{r.Kind, r.SubjectKey}
		if _, dup := w.seen[k]; dup {
			continue
		}
		w.seen[k] = struct{}{}
		w.counts.Received++
		fp := Fingerprint(r)
		if cur, ok := w.current[k]; ok && cur == fp {
			w.counts.Unchanged++
			continue
		}
		rows = append(rows, []any{r.Kind, r.SchemaVersion, r.SubjectKey, r.SubjectLabel, string(r.Payload), fp[:], r.ObservedAt})
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := w.tx.CopyFrom(ctx, pgx.Identifier{"evidence_stage"}, stageColumns, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("evidence: stage %s: %w", w.dataset.Key, err)
	}
	return nil
}

// Abort discards everything the dataset wrote.
func (w *Writer) Abort(ctx context.Context) {
	_ = w.tx.Rollback(context.WithoutCancel(ctx))
}

// Commit merges the staged records and commits.
func (w *Writer) Commit(ctx context.Context) (Counts, error) {
	defer w.tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // a no-op after Commit
	if err := w.merge(ctx); err != nil {
		return Counts{}, fmt.Errorf("evidence: merge %s: %w", w.dataset.Key, err)
	}
	if err := w.tx.Commit(ctx); err != nil {
		return Counts{}, fmt.Errorf("evidence: commit %s: %w", w.dataset.Key, err)
	}
	return w.counts, nil
}

func (w *Writer) merge(ctx context.Context) error {
	tag, err := w.tx.Exec(ctx, `
		INSERT INTO evidence (org_id, connection_id, kind, schema_version, subject_key, subject_label, payload,
		                      fingerprint, observed_at, collected_at, first_run_id)
		SELECT $1, $2, kind, schema_version, subject_key, subject_label, payload, fingerprint, observed_at, $3, $4
		FROM evidence_stage
		ON CONFLICT (connection_id, fingerprint) DO NOTHING`, w.orgID, w.connID, w.now, w.runID)
	if err != nil {
		return err
	}
	w.counts.New = int(tag.RowsAffected())
	tag, err = w.tx.Exec(ctx, `
		INSERT INTO evidence_superseded (org_id, evidence_id, connection_id, from_run_id, to_run_id, reason, at)
		SELECT c.org_id, c.evidence_id, c.connection_id, c.since_run_id, $2, 'changed', $3
		FROM evidence_stage s
		JOIN evidence_current c ON c.connection_id = $1 AND c.kind = s.kind AND c.subject_key = s.subject_key`,
		w.connID, w.runID, w.now)
	if err != nil {
		return err
	}
	w.counts.Changed = int(tag.RowsAffected())
	if _, err := w.tx.Exec(ctx, `
		INSERT INTO evidence_current (org_id, connection_id, kind, subject_key, evidence_id, fingerprint, since_run_id)
		SELECT $1, $2, s.kind, s.subject_key, e.id, s.fingerprint, $3
		FROM evidence_stage s
		JOIN evidence e ON e.connection_id = $2 AND e.fingerprint = s.fingerprint
		ON CONFLICT (connection_id, kind, subject_key) DO UPDATE
		SET evidence_id = excluded.evidence_id, fingerprint = excluded.fingerprint, since_run_id = excluded.since_run_id`,
		w.orgID, w.connID, w.runID); err != nil {
		return err
	}
	if err := w.removeGone(ctx); err != nil {
		return err
	}
	return w.summarize(ctx)
}

// summarize writes an event dataset's summary, built from the events now in
// the current state, through the same staging path.
func (w *Writer) summarize(ctx context.Context) error {
	if w.dataset.Summarize == nil {
		return nil
	}
	rows, err := w.tx.Query(ctx, `SELECT e.payload FROM evidence_current c JOIN evidence e ON e.id = c.evidence_id
		WHERE c.connection_id = $1 AND c.kind = $2`, w.connID, w.dataset.Kinds[0])
	if err != nil {
		return err
	}
	payloads, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return err
	}
	rec, err := w.dataset.Summarize(payloads, w.now)
	if err != nil {
		return err
	}
	if _, err := w.tx.Exec(ctx, `TRUNCATE evidence_stage`); err != nil {
		return err
	}
	summary := *w
	summary.dataset.Summarize = nil
	summary.dataset.Events = false
	summary.seen = map[subjectKey]struct{}{}
	summary.current = map[subjectKey][32]byte{}
	if fp, ok := w.current[subjectKey{rec.Kind, rec.SubjectKey}]; ok {
		summary.current[subjectKey{rec.Kind, rec.SubjectKey}] = fp
	}
	summary.counts = Counts{}
	if err := summary.Put(ctx, []connector.Record{rec}); err != nil {
		return err
	}
	if err := summary.merge(ctx); err != nil {
		return err
	}
	w.counts.Received++
	w.counts.New += summary.counts.New
	w.counts.Changed += summary.counts.Changed
	w.counts.Unchanged += summary.counts.Unchanged
	return nil
}

// removeGone takes subjects out of the projection: for a snapshot dataset
// those this sync did not see, for an event dataset those older than the
// event retention.
func (w *Writer) removeGone(ctx context.Context) error {
	var tag interface{ RowsAffected() int64 }
	var err error
	if w.dataset.Events {
		tag, err = w.tx.Exec(ctx, `
			WITH gone AS (
				DELETE FROM evidence_current c USING evidence e
				WHERE c.evidence_id = e.id AND c.connection_id = $1 AND c.kind = ANY($2) AND c.subject_key <> 'summary'
				  AND e.observed_at < $3
				RETURNING c.org_id, c.evidence_id, c.connection_id, c.since_run_id)
			INSERT INTO evidence_superseded (org_id, evidence_id, connection_id, from_run_id, to_run_id, reason, at)
			SELECT org_id, evidence_id, connection_id, since_run_id, $4, 'removed', $5 FROM gone`,
			w.connID, w.dataset.Kinds, w.now.Add(-EventRetention), w.runID, w.now)
	} else {
		var kinds, subjects []string
		for k := range w.current {
			if _, ok := w.seen[k]; !ok {
				kinds, subjects = append(kinds, k.kind), append(subjects, k.subject)
			}
		}
		if len(kinds) == 0 {
			return nil
		}
		tag, err = w.tx.Exec(ctx, `
			WITH gone AS (
				DELETE FROM evidence_current c
				USING unnest($2::text[], $3::text[]) AS g(kind, subject_key)
				WHERE c.connection_id = $1 AND c.kind = g.kind AND c.subject_key = g.subject_key
				RETURNING c.org_id, c.evidence_id, c.connection_id, c.since_run_id)
			INSERT INTO evidence_superseded (org_id, evidence_id, connection_id, from_run_id, to_run_id, reason, at)
			SELECT org_id, evidence_id, connection_id, since_run_id, $4, 'removed', $5 FROM gone`,
			w.connID, kinds, subjects, w.runID, w.now)
	}
	if err != nil {
		return err
	}
	w.counts.Removed = int(tag.RowsAffected())
	return nil
}
