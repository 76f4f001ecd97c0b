package orgview_test

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/synctest"
)

var q = dbsqlc.New()

// version reads the organization's read version as a page does.
func version(t *testing.T, pool db.Beginner, orgID uuid.UUID) int64 {
	t.Helper()
	var v int64
	require.NoError(t, db.InOrg(context.Background(), pool, orgID, func(tx pgx.Tx) error {
		b, err := q.OrgBanner(context.Background(), tx)
		v = b.Version
		return err
	}))
	return v
}

// The tables a view is read from are exactly those whose changes move the
// version: a table added to the view without a trigger fails here.
func TestEveryTableAViewReadsMovesTheVersion(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	var tables []string
	require.NoError(t, db.Tx(context.Background(), e.DB.Pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), `
			SELECT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
			WHERE g.tgname = 'org_version' AND g.tgdeferrable AND g.tginitdeferred ORDER BY 1`)
		if err != nil {
			return err
		}
		tables, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	}))
	require.Equal(t, []string{"alerts", "check_current", "check_exclusions", "connections", "coverage_snapshots", "criterion_owners",
		"criterion_scope", "document_criteria", "document_revisions", "documents", "memberships", "organizations"}, tables)
}

// A transaction moves the version once at commit however many rows it
// changes, a rolled-back one not at all, and each organization only its own.
func TestAChangeMovesItsOrganizationsVersionOnceAtCommit(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	other := synctest.New(t, synctest.Options{DB: e.DB})
	conn := e.Connect(t)
	_, err := e.Sync(t, conn)
	require.NoError(t, err)
	ctx := context.Background()
	before, otherBefore := version(t, e.DB.Pool, e.Org.ID), version(t, e.DB.Pool, other.Org.ID)
	require.Greater(t, before, int64(1), "connecting and syncing moved it")

	rows := e.Count(t, `SELECT count(*) FROM check_current WHERE org_id = $1`, e.Org.ID)
	require.Greater(t, rows, 1)
	require.NoError(t, db.InOrg(ctx, e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE check_current SET reason = reason || ''`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE connections SET display_name = display_name || ' (renamed)'`); err != nil {
			return err
		}
		// Scoped elsewhere by commit: the bump still finds its organization.
		return db.ScopeToOrg(ctx, tx, uuid.Nil)
	}))
	require.Equal(t, before+1, version(t, e.DB.Pool, e.Org.ID))
	require.Equal(t, otherBefore, version(t, e.DB.Pool, other.Org.ID))

	err = db.InOrg(ctx, e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE connections SET display_name = display_name || '!'`); err != nil {
			return err
		}
		return context.Canceled
	})
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, before+1, version(t, e.DB.Pool, e.Org.ID), "a rolled-back change moves nothing")
}

// The version row is the last lock a transaction takes (at commit), so a
// transaction holding it never waits for a row another transaction of the
// organization holds. Here the first changes connection A, the second
// changes connection B, then the first changes B: with the version bumped
// as each row changed, the second would wait for the version the first
// holds while the first waits for B, and PostgreSQL would abort one of them
// as a deadlock. (B is the organization's own row.)
func TestConcurrentChangesOfOneOrganizationDoNotDeadlock(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	a := e.Connect(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, e.DB.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	before := version(t, e.DB.Pool, e.Org.ID)
	renameA := `UPDATE connections SET display_name = display_name || '.' WHERE id = $1`
	renameB := `UPDATE organizations SET name = name || '.' WHERE id = $1`

	firstHoldsA, secondPID := make(chan struct{}), make(chan int32, 1)
	second := make(chan error, 1)
	go func() {
		<-firstHoldsA
		second <- db.InOrg(ctx, e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
			var pid int32
			if err := tx.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
				return err
			}
			secondPID <- pid
			_, err := tx.Exec(ctx, renameB, e.Org.ID)
			return err
		})
	}()
	err = db.InOrg(ctx, e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, renameA, a); err != nil {
			return err
		}
		close(firstHoldsA)
		pid := <-secondPID
		// Go on once the second has committed or is waiting for a lock.
		for {
			var waiting bool
			var state string
			if err := admin.QueryRow(ctx, `SELECT coalesce(wait_event_type = 'Lock', false), coalesce(state, '') FROM pg_stat_activity WHERE pid = $1`, pid).
				Scan(&waiting, &state); err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			if waiting || state == "idle" {
				break
			}
			runtime.Gosched()
		}
		_, err := tx.Exec(ctx, renameB, e.Org.ID)
		return err
	})
	require.NoError(t, err)
	require.NoError(t, <-second)
	require.Equal(t, before+2, version(t, e.DB.Pool, e.Org.ID))
}

// The application role reads only its own organization's version.
func TestAnOrganizationCannotReadAnothersVersion(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	other := synctest.New(t, synctest.Options{DB: e.DB})
	require.NoError(t, db.InOrg(context.Background(), e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		var n int
		err := tx.QueryRow(context.Background(), `SELECT count(*) FROM org_versions WHERE org_id = $1`, other.Org.ID).Scan(&n)
		require.Zero(t, n)
		return err
	}))
}
