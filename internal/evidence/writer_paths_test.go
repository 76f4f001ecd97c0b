package evidence_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/evidence"
	"github.com/attesthq/attest/internal/synctest"
)

// TestSubjectThatChangesBackPointsAtItsStoredRecord: a subject whose
// payload returns to one stored before is not stored again; the current
// state points back at the old record and the change is logged.
func TestSubjectThatChangesBackPointsAtItsStoredRecord(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	conn := e.Connect(t)
	store := &evidence.Store{Pool: e.DB.Pool}
	ds := connector.Dataset{Key: "things", Kinds: []string{"test.thing"}}
	ctx := context.Background()
	now := e.Clock.Now()
	write := func(v string, at time.Time) evidence.Counts {
		t.Helper()
		w, err := store.Begin(ctx, e.Org.ID, conn, uuid.New(), ds, at)
		require.NoError(t, err)
		require.NoError(t, w.Put(ctx, []connector.Record{{Kind: "test.thing", SchemaVersion: 1, SubjectKey: "a", SubjectLabel: "a",
			ObservedAt: now, Payload: []byte(`{"v":"` + v + `"}`)}}))
		counts, err := w.Commit(ctx)
		require.NoError(t, err)
		return counts
	}

	require.Equal(t, evidence.Counts{Received: 1, New: 1}, write("1", now))
	require.Equal(t, evidence.Counts{Received: 1, New: 1, Changed: 1}, write("2", now.Add(time.Hour)))
	require.Equal(t, evidence.Counts{Received: 1, Changed: 1}, write("1", now.Add(2*time.Hour)), "the first record is stored already")
	require.Equal(t, 2, e.Count(t, `SELECT count(*) FROM evidence WHERE kind = 'test.thing'`))
	require.Equal(t, 2, e.Count(t, `SELECT count(*) FROM evidence_superseded WHERE kind = 'test.thing' AND reason = 'changed'`))
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM evidence_current c JOIN evidence e ON e.id = c.evidence_id
		WHERE c.kind = 'test.thing' AND e.payload->>'v' = '1'`), "the current state points at the first record again")
}

// TestEventDatasetKeepsRecentEventsAndItsSummary: an event dataset keeps
// events absent from a window, drops those older than EventRetention, and
// rewrites its summary from the events left in the current state.
func TestEventDatasetKeepsRecentEventsAndItsSummary(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	conn := e.Connect(t)
	store := &evidence.Store{Pool: e.DB.Pool}
	ds := connector.Dataset{Key: "signins", Kinds: []string{"test.signin", "test.signin_summary"}, Events: true,
		Summarize: func(payloads [][]byte, now time.Time) (connector.Record, error) {
			return connector.Record{Kind: "test.signin_summary", SchemaVersion: 1, SubjectKey: "summary", SubjectLabel: "Summary",
				ObservedAt: now, Payload: []byte(`{"events":` + strconv.Itoa(len(payloads)) + `}`)}, nil
		}}
	ctx := context.Background()
	now := e.Clock.Now()
	event := func(id string, at time.Time) connector.Record {
		return connector.Record{Kind: "test.signin", SchemaVersion: 1, SubjectKey: id, SubjectLabel: id, ObservedAt: at,
			Payload: []byte(`{"id":"` + id + `"}`)}
	}
	sync := func(at time.Time, events ...connector.Record) evidence.Counts {
		t.Helper()
		w, err := store.Begin(ctx, e.Org.ID, conn, uuid.New(), ds, at)
		require.NoError(t, err)
		require.NoError(t, w.Put(ctx, events))
		counts, err := w.Commit(ctx)
		require.NoError(t, err)
		return counts
	}
	summary := func() int {
		return e.Count(t, `SELECT (e.payload->>'events')::int FROM evidence_current c JOIN evidence e ON e.id = c.evidence_id
			WHERE c.kind = 'test.signin_summary'`)
	}

	require.Equal(t, evidence.Counts{Received: 3, New: 3}, sync(now, event("old", now.Add(-20*24*time.Hour)), event("new", now)))
	require.Equal(t, 2, summary())

	later := now.Add(15 * 24 * time.Hour) // "old" is now 35 days old; "new" 15
	require.Equal(t, evidence.Counts{Received: 2, New: 1, Unchanged: 1, Removed: 1}, sync(later, event("newer", later)),
		"the summary still counts two events, so it is unchanged")
	require.Equal(t, 2, summary(), "new and newer remain")
	require.Equal(t, 2, e.Count(t, `SELECT count(*) FROM evidence_current WHERE kind = 'test.signin'`))
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM evidence_superseded WHERE kind = 'test.signin' AND reason = 'removed'`))
}
