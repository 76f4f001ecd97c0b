package evidence_test

import (
	"context"
	"runtime"
	"strconv"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/evidence"
	"github.com/attesthq/attest/internal/synctest"
)

// TestWriterHoldsStoredSubjectsCompactly: a writer opened on a dataset of
// many current subjects holds under 64 bytes of heap a subject (its id and
// fingerprint) while the dataset is read, not the subjects' keys as strings
// (182 bytes with a map from them): a 50,000-user tenant's resync tracks
// 100,000 subjects this way. Not parallel: it measures the heap, which
// other tests would move.
func TestWriterHoldsStoredSubjectsCompactly(t *testing.T) {
	e := synctest.New(t, synctest.Options{})
	conn := e.Connect(t)
	store := &evidence.Store{Pool: e.DB.Pool}
	ds := connector.Dataset{Key: "things", Kinds: []string{"test.thing"}}
	ctx := context.Background()
	now := e.Clock.Now()
	const subjects = 20_000
	w, err := store.Begin(ctx, e.Org.ID, conn, uuid.New(), ds, now)
	require.NoError(t, err)
	for page := range subjects / 500 {
		recs := make([]connector.Record, 500)
		for i := range recs {
			id := "subject-" + strconv.Itoa(page*500+i)
			recs[i] = connector.Record{Kind: "test.thing", SchemaVersion: 1, SubjectKey: id, SubjectLabel: id, ObservedAt: now, Payload: []byte(`{}`)}
		}
		require.NoError(t, w.Put(ctx, recs))
	}
	_, err = w.Commit(ctx)
	require.NoError(t, err)

	// A first writer brings pgx's buffers (kept on the connection until its
	// next read, and pooled) to what reading the subjects takes; the second
	// is measured against that.
	w, err = store.Begin(ctx, e.Org.ID, conn, uuid.New(), ds, now)
	require.NoError(t, err)
	w.Abort(ctx)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	w, err = store.Begin(ctx, e.Org.ID, conn, uuid.New(), ds, now)
	require.NoError(t, err)
	defer w.Abort(ctx)
	runtime.GC()
	runtime.ReadMemStats(&after)
	perSubject := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / subjects
	t.Logf("%d heap bytes a stored subject", perSubject)
	require.Less(t, perSubject, int64(64), "heap bytes a stored subject costs an open writer")
}
