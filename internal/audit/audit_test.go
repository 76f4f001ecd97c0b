package audit_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

type testBundle struct {
	tdb   *testdb.DB
	org   uuid.UUID
	clock *clock.Fake
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	tdb := testdb.New(t)
	clk := clock.NewFake(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	org, err := (&account.Service{Pool: tdb.Pool, Clock: clk}).CreateOrg(context.Background(), "Acme", "acme", audit.SystemActor("test"))
	require.NoError(t, err)
	return &testBundle{tdb: tdb, org: org.ID, clock: clk}
}

func (b *testBundle) record(t *testing.T, ev audit.Event) {
	t.Helper()
	ctx := audit.WithRequest(context.Background(), audit.Request{IP: "192.0.2.7", RequestID: "req-1"})
	require.NoError(t, db.InOrg(ctx, b.tdb.Pool, b.org, func(tx pgx.Tx) error {
		return audit.Record(ctx, tx, b.org, b.clock.Now(), audit.SystemActor("test"), ev)
	}))
}

func (b *testBundle) verify(t *testing.T) audit.Report {
	t.Helper()
	var rep audit.Report
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org, func(tx pgx.Tx) error {
		var err error
		rep, err = audit.Verify(context.Background(), tx, b.org)
		return err
	}))
	return rep
}

func TestChainVerifies(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for i := 0; i < 25; i++ {
		b.clock.Advance(time.Second + 123456*time.Nanosecond)
		b.record(t, audit.Event{Action: "connection.sync", TargetType: "connection", TargetID: fmt.Sprint(i),
			Details: map[string]any{"b": 2, "a": "x<y&z", "nested": map[string]any{"n": 1.5, "list": []any{"é", 3}}}})
	}
	rep := b.verify(t)
	require.Nil(t, rep.Break)
	require.EqualValues(t, 26, rep.Rows) // organization.create + 25
}

func TestConcurrentWritersKeepOneChain(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				b.record(t, audit.Event{Action: "connection.sync", Details: map[string]any{"writer": i, "n": j}})
			}
		}()
	}
	wg.Wait()
	rep := b.verify(t)
	require.Nil(t, rep.Break)
	require.EqualValues(t, 81, rep.Rows)
}

func TestLogRefusesUpdateAndDeleteForEveryRole(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.record(t, audit.Event{Action: "connection.connect"})
	ctx := context.Background()
	statements := []string{
		`UPDATE audit_log SET action = 'connection.revoke'`,
		`DELETE FROM audit_log`,
		`TRUNCATE audit_log CASCADE`,
	}
	for _, stmt := range statements {
		err := db.InOrg(ctx, b.tdb.Pool, b.org, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, stmt)
			return err
		})
		require.Error(t, err, "application role: %s", stmt)
	}
	for _, url := range []string{b.tdb.URL, b.tdb.AdminURL} {
		conn, err := pgx.Connect(ctx, url)
		require.NoError(t, err)
		for _, stmt := range statements {
			_, err := conn.Exec(ctx, `SELECT set_config('app.org_id', $1, false)`, b.org.String())
			require.NoError(t, err)
			_, err = conn.Exec(ctx, stmt)
			require.ErrorContains(t, err, "append-only", "%s as %s", stmt, url)
		}
		require.NoError(t, conn.Close(ctx))
	}
	require.Nil(t, b.verify(t).Break)
}

func TestVerifyFindsARowAlteredBehindTheApplicationsBack(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for i := 0; i < 5; i++ {
		b.record(t, audit.Event{Action: "connection.sync", Details: map[string]any{"rows": i}})
	}
	tamper(t, b, `UPDATE audit_log SET details = '{"rows": 999}' WHERE seq = 4`)
	rep := b.verify(t)
	require.NotNil(t, rep.Break)
	require.EqualValues(t, 4, rep.Break.Seq)
	require.Contains(t, rep.Break.Reason, "altered")
}

func TestVerifyFindsDeletedRows(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for i := 0; i < 5; i++ {
		b.record(t, audit.Event{Action: "connection.sync"})
	}
	tamper(t, b, `DELETE FROM audit_log WHERE seq = 6`)
	rep := b.verify(t)
	require.NotNil(t, rep.Break)
	require.Contains(t, rep.Break.Reason, "missing")

	tamper(t, b, `DELETE FROM audit_log WHERE seq = 3`)
	rep = b.verify(t)
	require.EqualValues(t, 3, rep.Break.Seq)
}

// tamper changes the log as a superuser who disabled the guard trigger.
func tamper(t *testing.T, b *testBundle, stmt string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, b.tdb.AdminURL)
	require.NoError(t, err)
	defer conn.Close(ctx)
	for _, s := range []string{`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`, stmt, `ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`} {
		_, err := conn.Exec(ctx, s)
		require.NoError(t, err, s)
	}
}
