package evidence

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/connector"
)

var q = dbsqlc.New()

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
// batched up to it so the statement count stays low. It also bounds the
// memory of a statement in flight: pgx builds each statement's parameters,
// then its message, in buffers that double as they grow, about four times
// the batch's bytes; at 2,500 records that was 16 MB of a 50,000-user
// sync's heap (its peak RSS 118 to 121 MiB against 93 to 99 MiB at 1,000,
// with a first sync's time within the noise of a shared machine).
const writeEvery = 1000

// queuedPages is how many pages Put queues ahead of the statement being
// written before it waits: enough to keep the connector fetching while a
// statement runs, few enough that queued pages stay a small part of the
// heap.
const queuedPages = 2

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
	// current are the dataset's subjects in the current state when it
	// began; added are the subjects this sync saw that were not among them.
	// An unchanged subject costs one binary search.
	current storedSubjects
	added   map[subjectID]struct{}
	counts  Counts
	// fresh: the connection holds no evidence of the dataset's kinds yet (a
	// first sync), so nothing written can collide with a stored record or a
	// current subject.
	fresh bool

	batches  chan []row
	done     chan error
	closeMu  sync.Once
	failOnce sync.Once
	failed   chan struct{}

	finishOnce sync.Once
	finishErr  error
}

// row is a record queued for writing, with its fingerprint. The payload is
// copied out of the record when it is queued: the connector may reuse the
// record's buffer once Put returns.
type row struct {
	kind, subject, label, payload string
	version                       int
	fp                            [32]byte
	observed                      time.Time
}

// newRow queues r, whose fingerprint is fp.
func newRow(r connector.Record, fp [32]byte) row {
	return row{kind: r.Kind, subject: r.SubjectKey, label: r.SubjectLabel, payload: string(r.Payload),
		version: r.SchemaVersion, fp: fp, observed: r.ObservedAt}
}

// Begin opens the dataset's transaction, scoped to the organization, and
// reads the subjects' current fingerprints.
func (s *Store) Begin(ctx context.Context, orgID, connID, runID uuid.UUID, ds connector.Dataset, now time.Time) (*Writer, error) {
	tx, err := db.BeginInOrg(ctx, s.Pool, orgID)
	if err != nil {
		return nil, fmt.Errorf("evidence: begin %s: %w", ds.Key, err)
	}
	w := &Writer{tx: tx, orgID: orgID, connID: connID, runID: runID, dataset: ds, now: now,
		added:   map[subjectID]struct{}{},
		batches: make(chan []row, queuedPages), done: make(chan error, 1), failed: make(chan struct{})}
	if err := w.prepare(ctx); err != nil {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("evidence: begin %s: %w", ds.Key, err)
	}
	go w.loop(ctx)
	return w, nil
}

func (w *Writer) prepare(ctx context.Context) error {
	var err error
	if w.current, err = readCurrent(ctx, w.tx, w.connID, w.dataset.Kinds); err != nil {
		return err
	}
	if len(w.current.list) > 0 { // the usual resync: subjects are current, so the dataset is not fresh
		return nil
	}
	w.fresh, err = q.EvidenceNoneStored(ctx, w.tx, dbsqlc.EvidenceNoneStoredParams{ConnectionID: w.connID, Kinds: w.dataset.Kinds})
	return err
}

// loop owns the transaction while records stream in: it batches pages and
// writes whenever a batch is full. After a failure it drains.
func (w *Writer) loop(ctx context.Context) {
	var err error
	var pending []row
	flush := func() {
		if err == nil && len(pending) > 0 {
			err = w.write(ctx, pending)
			clear(pending) // the payloads can go; the array is reused
			pending = pending[:0]
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
	rows := make([]row, 0, len(records))
	for _, r := range records {
		first, stored, has := w.sight(subjectOf(r.Kind, r.SubjectKey))
		if !first {
			continue
		}
		w.counts.Received++
		fp := Fingerprint(r)
		if has && stored.fp == fp {
			w.counts.Unchanged++
			continue
		}
		rows = append(rows, newRow(r, fp))
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
// first sighting, and the subject's stored state if it has one (ok).
func (w *Writer) sight(k subjectID) (first bool, stored storedSubject, ok bool) {
	if i, ok := w.current.find(k); ok {
		s := &w.current.list[i]
		first, s.seen = !s.seen, true
		return first, *s, true
	}
	if _, dup := w.added[k]; dup {
		return false, storedSubject{}, false
	}
	w.added[k] = struct{}{}
	return true, storedSubject{}, false
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

// write appends the batch's new fingerprints to evidence, logs the records
// they replace, and points the current state at them, in one statement. A
// fresh dataset takes the plain insert (EvidenceWriteFresh).
func (w *Writer) write(ctx context.Context, rows []row) error {
	b := newBatch(rows)
	if w.fresh {
		added, err := q.EvidenceWriteFresh(ctx, w.tx, dbsqlc.EvidenceWriteFreshParams{
			OrgID: w.orgID, ConnectionID: w.connID, CollectedAt: w.now, RunID: w.runID,
			Kinds: b.kinds, SchemaVersions: b.versions, SubjectKeys: b.subjects, SubjectLabels: b.labels,
			Payloads: b.payloads, Fingerprints: b.fps, ObservedAts: b.observed})
		if err != nil {
			return fmt.Errorf("evidence: write %s: %w", w.dataset.Key, err)
		}
		w.counts.New += int(added)
		return nil
	}
	n, err := q.EvidenceWrite(ctx, w.tx, dbsqlc.EvidenceWriteParams{
		OrgID: w.orgID, ConnectionID: w.connID, CollectedAt: w.now, RunID: w.runID,
		Kinds: b.kinds, SchemaVersions: b.versions, SubjectKeys: b.subjects, SubjectLabels: b.labels,
		Payloads: b.payloads, Fingerprints: b.fps, ObservedAts: b.observed})
	if err != nil {
		return fmt.Errorf("evidence: write %s: %w", w.dataset.Key, err)
	}
	w.counts.New += int(n.Added)
	w.counts.Changed += int(n.Replaced)
	return nil
}

// summarize writes an event dataset's summary, built from the events now in
// the current state, through the same write path.
func (w *Writer) summarize(ctx context.Context) error {
	if w.dataset.Summarize == nil {
		return nil
	}
	events, err := q.EvidenceCurrentPayloads(ctx, w.tx, dbsqlc.EvidenceCurrentPayloadsParams{
		ConnectionID: w.connID, Kind: w.dataset.Kinds[0]})
	if err != nil {
		return err
	}
	payloads := make([][]byte, len(events))
	for i, p := range events {
		payloads[i] = p
	}
	rec, err := w.dataset.Summarize(payloads, w.now)
	if err != nil {
		return err
	}
	w.counts.Received++
	fp := Fingerprint(rec)
	if i, ok := w.current.find(subjectOf(rec.Kind, rec.SubjectKey)); ok && w.current.list[i].fp == fp {
		w.counts.Unchanged++
		return nil
	}
	return w.write(ctx, []row{newRow(rec, fp)})
}

// removeGone takes subjects out of the projection: for a snapshot dataset
// those this sync did not see, for an event dataset those older than the
// event retention.
func (w *Writer) removeGone(ctx context.Context) error {
	var removed int64
	var err error
	if w.dataset.Events {
		removed, err = q.EvidenceRemoveOldEvents(ctx, w.tx, dbsqlc.EvidenceRemoveOldEventsParams{
			ConnectionID: w.connID, Kinds: w.dataset.Kinds, ObservedBefore: w.now.Add(-EventRetention), RunID: w.runID, At: w.now})
	} else {
		var gone [][]byte
		for i := range w.current.list {
			if s := &w.current.list[i]; !s.seen {
				gone = append(gone, s.fp[:])
			}
		}
		if len(gone) == 0 {
			return nil
		}
		removed, err = q.EvidenceRemoveSubjects(ctx, w.tx, dbsqlc.EvidenceRemoveSubjectsParams{
			ConnectionID: w.connID, Kinds: w.dataset.Kinds, Fingerprints: gone, RunID: w.runID, At: w.now})
	}
	if err != nil {
		return err
	}
	w.counts.Removed = int(removed)
	return nil
}
