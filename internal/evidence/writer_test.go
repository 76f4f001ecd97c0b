package evidence_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/evidence"
	"github.com/attesthq/attest/internal/synctest"
)

// TestFinishedDatasetLandsOnlyOnCommit: Finish does a dataset's remaining
// work early, but the dataset still lands only when it is committed, and an
// abort after Finish leaves nothing, as when a run is cancelled after one
// dataset was read and another was not.
func TestFinishedDatasetLandsOnlyOnCommit(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	conn := e.Connect(t)
	store := &evidence.Store{Pool: e.DB.Pool}
	ds := connector.Dataset{Key: "things", Kinds: []string{"test.thing"}}
	ctx := context.Background()
	now := e.Clock.Now()
	thing := func(id, v string) connector.Record {
		return connector.Record{Kind: "test.thing", SchemaVersion: 1, SubjectKey: id, SubjectLabel: id, ObservedAt: now,
			Payload: []byte(`{"v":"` + v + `"}`)}
	}
	stored := func() int { return e.Count(t, `SELECT count(*) FROM evidence WHERE kind = 'test.thing'`) }
	current := func() int { return e.Count(t, `SELECT count(*) FROM evidence_current WHERE kind = 'test.thing'`) }

	w, err := store.Begin(ctx, e.Org.ID, conn, uuid.New(), ds, now)
	require.NoError(t, err)
	require.NoError(t, w.Put(ctx, []connector.Record{thing("a", "1"), thing("b", "1"), thing("c", "1")}))
	require.NoError(t, w.Finish(ctx))
	w.Abort(ctx)
	require.Zero(t, stored(), "an aborted dataset lands nothing, finished or not")

	w, err = store.Begin(ctx, e.Org.ID, conn, uuid.New(), ds, now)
	require.NoError(t, err)
	require.NoError(t, w.Put(ctx, []connector.Record{thing("a", "1"), thing("b", "1"), thing("c", "1")}))
	require.NoError(t, w.Finish(ctx))
	require.NoError(t, w.Finish(ctx), "a second Finish is a no-op")
	counts, err := w.Commit(ctx)
	require.NoError(t, err)
	require.Equal(t, evidence.Counts{Received: 3, New: 3}, counts)
	require.Equal(t, 3, stored())

	// The next sync: a is unchanged, b changed (and repeated), c gone. Commit
	// without Finish does the same work.
	later := now.Add(time.Hour)
	w, err = store.Begin(ctx, e.Org.ID, conn, uuid.New(), ds, later)
	require.NoError(t, err)
	require.NoError(t, w.Put(ctx, []connector.Record{thing("a", "1"), thing("b", "2"), thing("b", "2")}))
	counts, err = w.Commit(ctx)
	require.NoError(t, err)
	require.Equal(t, evidence.Counts{Received: 2, New: 1, Changed: 1, Unchanged: 1, Removed: 1}, counts)
	require.Equal(t, 4, stored())
	require.Equal(t, 2, current())
}
