package syncer

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/evidence"
)

// writerSet opens one evidence writer per dataset, all at once when the
// sync starts (each reads its dataset's current fingerprints while the
// connector authenticates and fetches the first pages), and commits or
// aborts them when the connector is done. The connector finishes each
// dataset as soon as it is read, so little is left for the commit.
type writerSet struct {
	store   *evidence.Store
	conn    dbsqlc.Connection
	runID   uuid.UUID
	now     time.Time
	writers map[string]*pendingWriter
}

// pendingWriter is a writer being opened in the background.
type pendingWriter struct {
	ready chan struct{}
	w     *evidence.Writer
	err   error
}

func newWriterSet(ctx context.Context, store *evidence.Store, conn dbsqlc.Connection, runID uuid.UUID, ds []connector.Dataset, now time.Time) *writerSet {
	set := &writerSet{store: store, conn: conn, runID: runID, now: now, writers: map[string]*pendingWriter{}}
	for _, d := range ds {
		p := &pendingWriter{ready: make(chan struct{})}
		set.writers[d.Key] = p
		go func() {
			defer close(p.ready)
			p.w, p.err = store.Begin(ctx, conn.OrgID, conn.ID, runID, d, now)
		}()
	}
	return set
}

// dataWriter is what the connector writes one dataset through.
type dataWriter struct{ p *pendingWriter }

func (d dataWriter) Put(ctx context.Context, records []connector.Record) error {
	if err := d.wait(ctx); err != nil {
		return err
	}
	return d.p.w.Put(ctx, records)
}

func (d dataWriter) Finish(ctx context.Context) error {
	if err := d.wait(ctx); err != nil {
		return err
	}
	return d.p.w.Finish(ctx)
}

// wait waits for the writer to open and returns the error it opened with.
func (d dataWriter) wait(ctx context.Context) error {
	select {
	case <-d.p.ready:
	case <-ctx.Done():
		return ctx.Err()
	}
	return d.p.err
}

func (w *writerSet) get(dataset string) connector.DatasetWriter {
	return dataWriter{p: w.writers[dataset]}
}

// commit lands each successful dataset, in parallel (each has its own
// transaction), and rolls back the others. A dataset that fails to commit
// becomes a failed dataset.
func (w *writerSet) commit(ctx context.Context, results []connector.DatasetResult) []DatasetOutcome {
	out := make([]DatasetOutcome, len(results))
	var wg sync.WaitGroup
	for i, r := range results {
		out[i] = DatasetOutcome{DatasetResult: r}
		p, ok := w.writers[r.Dataset]
		if !ok {
			continue
		}
		delete(w.writers, r.Dataset)
		<-p.ready
		switch {
		case p.err != nil:
			if r.Status == connector.DatasetOK {
				out[i].Status, out[i].ErrorClass, out[i].Error = connector.DatasetFailed, connector.ErrorTransient, p.err.Error()
			}
		case r.Status == connector.DatasetOK:
			wg.Add(1)
			go func() {
				defer wg.Done()
				counts, err := p.w.Commit(ctx)
				if err != nil {
					out[i].Status, out[i].ErrorClass, out[i].Error = connector.DatasetFailed, connector.ErrorTransient, err.Error()
				}
				out[i].Counts = counts
			}()
		default:
			p.w.Abort(ctx)
		}
	}
	wg.Wait()
	return out
}

// abortAll rolls back every writer not yet committed.
func (w *writerSet) abortAll(ctx context.Context) {
	for k, p := range w.writers {
		<-p.ready
		if p.err == nil {
			p.w.Abort(ctx)
		}
		delete(w.writers, k)
	}
}
