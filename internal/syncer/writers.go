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

// writerSet opens one evidence writer per dataset on first use, and commits
// or aborts them when the connector is done.
type writerSet struct {
	mu       sync.Mutex
	store    *evidence.Store
	conn     dbsqlc.Connection
	runID    uuid.UUID
	datasets map[string]connector.Dataset
	now      time.Time
	open     map[string]*evidence.Writer
}

func newWriterSet(store *evidence.Store, conn dbsqlc.Connection, runID uuid.UUID, ds []connector.Dataset, now time.Time) *writerSet {
	w := &writerSet{store: store, conn: conn, runID: runID, now: now, datasets: map[string]connector.Dataset{}, open: map[string]*evidence.Writer{}}
	for _, d := range ds {
		w.datasets[d.Key] = d
	}
	return w
}

// lazyWriter opens its dataset's writer at the first page.
type lazyWriter struct {
	set     *writerSet
	dataset string
}

func (l lazyWriter) Put(ctx context.Context, records []connector.Record) error {
	w, err := l.set.writer(ctx, l.dataset)
	if err != nil {
		return err
	}
	return w.Put(ctx, records)
}

func (w *writerSet) get(dataset string) connector.DatasetWriter {
	return lazyWriter{set: w, dataset: dataset}
}

func (w *writerSet) writer(ctx context.Context, dataset string) (*evidence.Writer, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if wr, ok := w.open[dataset]; ok {
		return wr, nil
	}
	wr, err := w.store.Begin(ctx, w.conn.OrgID, w.conn.ID, w.runID, w.datasets[dataset], w.now)
	if err != nil {
		return nil, err
	}
	w.open[dataset] = wr
	return wr, nil
}

// commit lands each successful dataset and rolls back the others. A dataset
// that fails to commit becomes a failed dataset.
func (w *writerSet) commit(ctx context.Context, results []connector.DatasetResult) []DatasetOutcome {
	out := make([]DatasetOutcome, 0, len(results))
	for _, r := range results {
		w.mu.Lock()
		wr := w.open[r.Dataset]
		delete(w.open, r.Dataset)
		w.mu.Unlock()
		o := DatasetOutcome{DatasetResult: r}
		switch {
		case wr == nil:
		case r.Status == connector.DatasetOK:
			counts, err := wr.Commit(ctx)
			if err != nil {
				o.Status, o.ErrorClass, o.Error = connector.DatasetFailed, connector.ErrorTransient, err.Error()
			}
			o.Counts = counts
		default:
			wr.Abort(ctx)
		}
		out = append(out, o)
	}
	return out
}

func (w *writerSet) abortAll(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for k, wr := range w.open {
		wr.Abort(ctx)
		delete(w.open, k)
	}
}
