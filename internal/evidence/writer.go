package evidence

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
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

// writeEvery is how many records one write statement carries; pages are
// batched up to it so the statement count stays low.
const writeEvery = 2500

// Writer writes one dataset of one run atomically. Put only filters and
// queues; a background goroutine owns the transaction and writes batches
// while the connector fetches the next pages.
type Writer struct {
	tx      pgx.Tx
	orgID   uuid.UUID
	connID  uuid.UUID
	runID   uuid.UUID
	dataset connector.Dataset
	now     time.Time
	// stored are the dataset's subjects in the current state when it began,
	// indexed by current; added are the subjects this sync saw that were
	// not among them. An unchanged subject costs one map lookup.
	stored  []storedSubject
	current map[subjectKey]int
	added   map[subjectKey]struct{}
	counts  Counts
	// fresh: the connection holds no evidence of the dataset's kinds yet (a
	// first sync), so nothing written can collide with a stored record or a
	// current subject.
	fresh bool

	batches  chan [][]any
	done     chan error
	closeMu  sync.Once
	failOnce sync.Once
	failed   chan struct{}

	finishOnce sync.Once
	finishErr  error
}

type subjectKey struct{ kind, subject string }

// storedSubject is a subject of the current state with its fingerprint, and
// whether this sync has seen it.
type storedSubject struct {
	key  subjectKey
	fp   [32]byte
	seen bool
}

// Begin opens the dataset's transaction and reads the subjects' current
// fingerprints.
func (s *Store) Begin(ctx context.Context, orgID, connID, runID uuid.UUID, ds connector.Dataset, now time.Time) (*Writer, error) {
	tx, err := s.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("evidence: begin %s: %w", ds.Key, err)
	}
	w := &Writer{tx: tx, orgID: orgID, connID: connID, runID: runID, dataset: ds, now: now,
		added:   map[subjectKey]struct{}{},
		batches: make(chan [][]any, 8), done: make(chan error, 1), failed: make(chan struct{})}
	if err := w.prepare(ctx); err != nil {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("evidence: begin %s: %w", ds.Key, err)
	}
	go w.loop(ctx)
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
	if _, err = pgx.ForEachRow(rows, []any{&k.kind, &k.subject, &fp}, func() error {
		if len(w.stored) == cap(w.stored) { // double: append grows large slices by a quarter, copying 50,000 subjects often
			w.stored = slices.Grow(w.stored, max(len(w.stored), 1024))
		}
		w.stored = append(w.stored, storedSubject{key: k, fp: [32]byte(fp)})
		return nil
	}); err != nil {
		return err
	}
	w.current = make(map[subjectKey]int, len(w.stored))
	for i, s := range w.stored {
		w.current[s.key] = i
	}
	if len(w.stored) > 0 { // the usual resync: subjects are current, so the dataset is not fresh
		return nil
	}
	return w.tx.QueryRow(ctx, `SELECT NOT EXISTS (SELECT 1 FROM evidence WHERE connection_id = $1 AND kind = ANY($2))`,
		w.connID, w.dataset.Kinds).Scan(&w.fresh)
}

// loop owns the transaction while records stream in: it batches pages and
// writes whenever a batch is full. After a failure it drains.
func (w *Writer) loop(ctx context.Context) {
	var err error
	var pending [][]any
	flush := func() {
		if err == nil && len(pending) > 0 {
			err = w.write(ctx, pending)
			pending = nil
		}
		if err != nil {
			w.failOnce.Do(func() { close(w.failed) })
		}
	}
	for batch := range w.batches {
		if err != nil {
			continue
		}
		pending = append(pending, batch...)
		if len(pending) >= writeEvery {
			flush()
		}
	}
	flush()
	w.done <- err
}

// errWriterFailed is returned by Put after the background merge failed;
// Commit reports the underlying error.
var errWriterFailed = errors.New("evidence: writing the dataset failed")

// Put takes one page of records: unchanged ones are counted, the rest queued
// for staging. A subject repeated within the dataset (a replayed page)
// counts once.
func (w *Writer) Put(ctx context.Context, records []connector.Record) error {
	rows := make([][]any, 0, len(records))
	for _, r := range records {
		first, stored := w.sight(subjectKey{r.Kind, r.SubjectKey})
		if !first {
			continue
		}
		w.counts.Received++
		fp := Fingerprint(r)
		if stored != nil && stored.fp == fp {
			w.counts.Unchanged++
			continue
		}
		rows = append(rows, []any{r.Kind, r.SchemaVersion, r.SubjectKey, r.SubjectLabel, string(r.Payload), fp[:], r.ObservedAt})
	}
	if len(rows) == 0 {
		return nil
	}
	select {
	case w.batches <- rows:
		return nil
	case <-w.failed:
		return errWriterFailed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// sight marks a subject seen by this sync. It reports whether this is the
// first sighting, and the subject's stored state if it has one.
func (w *Writer) sight(k subjectKey) (first bool, stored *storedSubject) {
	if i, ok := w.current[k]; ok {
		s := &w.stored[i]
		first, s.seen = !s.seen, true
		return first, s
	}
	if _, dup := w.added[k]; dup {
		return false, nil
	}
	w.added[k] = struct{}{}
	return true, nil
}

// finishLoop stops the background goroutine and returns its error.
func (w *Writer) finishLoop() error {
	var err error
	w.closeMu.Do(func() {
		close(w.batches)
		err = <-w.done
	})
	return err
}

// Abort discards everything the dataset wrote.
func (w *Writer) Abort(ctx context.Context) {
	_ = w.finishLoop()
	_ = w.tx.Rollback(context.WithoutCancel(ctx))
}

// Finish is called once the dataset was read completely: it writes what is
// still queued, takes gone subjects out of the current state and writes an
// event dataset's summary, leaving the transaction open for Commit or
// Abort. It runs once; later calls return its error.
func (w *Writer) Finish(ctx context.Context) error {
	w.finishOnce.Do(func() {
		if err := w.finishLoop(); err != nil {
			w.finishErr = err
			return
		}
		if err := w.removeGone(ctx); err != nil {
			w.finishErr = fmt.Errorf("evidence: remove gone %s: %w", w.dataset.Key, err)
			return
		}
		if err := w.summarize(ctx); err != nil {
			w.finishErr = fmt.Errorf("evidence: summarize %s: %w", w.dataset.Key, err)
		}
	})
	return w.finishErr
}

// Commit finishes the dataset if Finish was not called, and commits.
func (w *Writer) Commit(ctx context.Context) (Counts, error) {
	defer w.tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // a no-op after Commit
	if err := w.Finish(ctx); err != nil {
		return Counts{}, err
	}
	if err := w.tx.Commit(ctx); err != nil {
		return Counts{}, fmt.Errorf("evidence: commit %s: %w", w.dataset.Key, err)
	}
	return w.counts, nil
}

// freshWrite is write's statement for a fresh dataset: every record is new
// and so is every subject, so they are inserted plainly, without the
// conflict handling, the lookup of records stored before and the log of
// replaced ones. Measured on a 50,000-user first sync, this cut the time
// spent in write statements by a quarter.
const freshWrite = `
	WITH ins AS (
		INSERT INTO evidence (org_id, connection_id, kind, schema_version, subject_key, subject_label, payload,
		                      fingerprint, observed_at, collected_at, first_run_id)
		SELECT $1, $2, kind, schema_version, subject_key, subject_label, payload::jsonb, fingerprint, observed_at, $3, $4
		FROM unnest($5::text[], $6::int[], $7::text[], $8::text[], $9::text[], $10::bytea[], $11::timestamptz[])
			AS t(kind, schema_version, subject_key, subject_label, payload, fingerprint, observed_at)
		RETURNING id, kind, subject_key, fingerprint
	), cur AS (
		INSERT INTO evidence_current (org_id, connection_id, kind, subject_key, evidence_id, fingerprint, since_run_id)
		SELECT $1, $2, kind, subject_key, id, fingerprint, $4 FROM ins
	)
	SELECT count(*) FROM ins`

// write appends the batch's new fingerprints to evidence, logs the records
// they replace, and points the current state at them, in one statement.
// Records whose fingerprint was stored before (a subject that changed back)
// are found one by one by index, never by scanning the connection's
// evidence.
func (w *Writer) write(ctx context.Context, rows [][]any) error {
	n := len(rows)
	kinds, subjects, labels, payloads := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	versions, fps, observed := make([]int32, n), make([][]byte, n), make([]time.Time, n)
	for i, r := range rows {
		kinds[i], versions[i], subjects[i], labels[i] = r[0].(string), int32(r[1].(int)), r[2].(string), r[3].(string)
		payloads[i], fps[i], observed[i] = r[4].(string), r[5].([]byte), r[6].(time.Time)
	}
	var added, replaced int
	if w.fresh {
		err := w.tx.QueryRow(ctx, freshWrite, w.orgID, w.connID, w.now, w.runID,
			kinds, versions, subjects, labels, payloads, fps, observed).Scan(&added)
		if err != nil {
			return fmt.Errorf("evidence: write %s: %w", w.dataset.Key, err)
		}
		w.counts.New += added
		return nil
	}
	err := w.tx.QueryRow(ctx, `
		WITH input AS MATERIALIZED (
			SELECT * FROM unnest($5::text[], $6::int[], $7::text[], $8::text[], $9::text[], $10::bytea[], $11::timestamptz[])
				AS t(kind, schema_version, subject_key, subject_label, payload, fingerprint, observed_at)
		), ins AS (
			INSERT INTO evidence (org_id, connection_id, kind, schema_version, subject_key, subject_label, payload,
			                      fingerprint, observed_at, collected_at, first_run_id)
			SELECT $1, $2, kind, schema_version, subject_key, subject_label, payload::jsonb, fingerprint, observed_at, $3, $4
			FROM input
			ON CONFLICT (connection_id, fingerprint) DO NOTHING
			RETURNING id, fingerprint
		), ids AS (
			SELECT n.id, i.kind, i.subject_key, i.fingerprint FROM input i JOIN ins n ON n.fingerprint = i.fingerprint
			UNION ALL
			SELECT old.id, i.kind, i.subject_key, i.fingerprint
			FROM input i
			CROSS JOIN LATERAL (SELECT e.id FROM evidence e WHERE e.connection_id = $2 AND e.fingerprint = i.fingerprint LIMIT 1) old
			WHERE i.fingerprint NOT IN (SELECT fingerprint FROM ins)
		), sup AS (
			INSERT INTO evidence_superseded (org_id, evidence_id, connection_id, kind, subject_key, from_run_id, to_run_id, reason, at)
			SELECT c.org_id, c.evidence_id, c.connection_id, c.kind, c.subject_key, c.since_run_id, $4, 'changed', $3
			FROM input i
			JOIN evidence_current c ON c.connection_id = $2 AND c.kind = i.kind AND c.subject_key = i.subject_key
			RETURNING 1
		), cur AS (
			INSERT INTO evidence_current (org_id, connection_id, kind, subject_key, evidence_id, fingerprint, since_run_id)
			SELECT $1, $2, kind, subject_key, id, fingerprint, $4 FROM ids
			ON CONFLICT (connection_id, kind, subject_key) DO UPDATE
			SET evidence_id = excluded.evidence_id, fingerprint = excluded.fingerprint, since_run_id = excluded.since_run_id
		)
		SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM sup)`,
		w.orgID, w.connID, w.now, w.runID, kinds, versions, subjects, labels, payloads, fps, observed).Scan(&added, &replaced)
	if err != nil {
		return fmt.Errorf("evidence: write %s: %w", w.dataset.Key, err)
	}
	w.counts.New += added
	w.counts.Changed += replaced
	return nil
}

// summarize writes an event dataset's summary, built from the events now in
// the current state, through the same write path.
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
	w.counts.Received++
	fp := Fingerprint(rec)
	if i, ok := w.current[subjectKey{rec.Kind, rec.SubjectKey}]; ok && w.stored[i].fp == fp {
		w.counts.Unchanged++
		return nil
	}
	return w.write(ctx, [][]any{{rec.Kind, rec.SchemaVersion, rec.SubjectKey, rec.SubjectLabel, string(rec.Payload), fp[:], rec.ObservedAt}})
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
				RETURNING c.org_id, c.evidence_id, c.connection_id, c.kind, c.subject_key, c.since_run_id)
			INSERT INTO evidence_superseded (org_id, evidence_id, connection_id, kind, subject_key, from_run_id, to_run_id, reason, at)
			SELECT org_id, evidence_id, connection_id, kind, subject_key, since_run_id, $4, 'removed', $5 FROM gone`,
			w.connID, w.dataset.Kinds, w.now.Add(-EventRetention), w.runID, w.now)
	} else {
		var kinds, subjects []string
		for _, s := range w.stored {
			if !s.seen {
				kinds, subjects = append(kinds, s.key.kind), append(subjects, s.key.subject)
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
				RETURNING c.org_id, c.evidence_id, c.connection_id, c.kind, c.subject_key, c.since_run_id)
			INSERT INTO evidence_superseded (org_id, evidence_id, connection_id, kind, subject_key, from_run_id, to_run_id, reason, at)
			SELECT org_id, evidence_id, connection_id, kind, subject_key, since_run_id, $4, 'removed', $5 FROM gone`,
			w.connID, kinds, subjects, w.runID, w.now)
	}
	if err != nil {
		return err
	}
	w.counts.Removed = int(tag.RowsAffected())
	return nil
}
