package retention_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"

	"github.com/attesthq/attest/internal/assessment"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/retention"
	"github.com/attesthq/attest/internal/synctest"
	"github.com/attesthq/attest/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func TestPurgeKeepsWhatAnApprovedAssessmentHolds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := synctest.New(t, synctest.Options{})
	conn := e.Connect(t)
	_, err := e.Sync(t, conn)
	require.NoError(t, err)
	// Another organization's live evidence in the same database.
	other := synctest.New(t, synctest.Options{DB: e.DB})
	otherConn := other.Connect(t)
	_, err = other.Sync(t, otherConn)
	require.NoError(t, err)
	otherRows := other.Count(t, `SELECT count(*) FROM evidence`)

	// An approved assessment holds all but one kind's records; a draft holds everything.
	e.Clock.Advance(time.Hour)
	svc := &assessment.Service{Pool: e.DB.Pool, Clock: e.Clock, Registry: e.Registry}
	actor := audit.UserActor(e.Owner.ID, e.Owner.Email)
	today := e.Clock.Now().UTC().Truncate(24 * time.Hour)
	draft := assessment.Draft{Name: "FY26", PeriodStart: today.AddDate(0, 0, -7), PeriodEnd: today}
	a, _, err := svc.Create(ctx, e.Org.ID, actor, draft)
	require.NoError(t, err)
	_, _, err = svc.Create(ctx, e.Org.ID, actor, assessment.Draft{Name: "Draft", PeriodStart: draft.PeriodStart, PeriodEnd: draft.PeriodEnd})
	require.NoError(t, err)
	var ids []int64
	total := e.Count(t, `SELECT count(*) FROM evidence`)
	users := e.Count(t, `SELECT count(*) FROM evidence WHERE kind = 'entra.user'`)
	for _, id := range evidenceIDs(t, e, `SELECT evidence_id FROM assessment_evidence ae JOIN evidence ev ON ev.id = ae.evidence_id WHERE ae.assessment_id = $1 AND ev.kind = 'entra.user'`, a.ID) {
		require.NoError(t, svc.Detach(ctx, e.Org.ID, actor, a.ID, id))
		ids = append(ids, id)
	}
	require.Len(t, ids, users)
	require.NoError(t, svc.Submit(ctx, e.Org.ID, actor, a.ID))
	_, err = svc.Approve(ctx, e.Org.ID, actor, a.ID)
	require.NoError(t, err)

	require.NoError(t, e.Services.Revoke(ctx, e.Org.ID, e.User(), conn))
	// Inside the window nothing goes.
	e.Clock.Advance(399 * 24 * time.Hour)
	n, err := retention.PurgeOrg(ctx, e.DB.Pool, e.Org.ID, e.Clock.Now())
	require.NoError(t, err)
	require.Zero(t, n)

	e.Clock.Advance(2 * 24 * time.Hour)
	n, err = retention.PurgeOrg(ctx, e.DB.Pool, e.Org.ID, e.Clock.Now())
	require.NoError(t, err)
	require.Equal(t, users, n, "only the records the approved assessment does not hold")
	require.Equal(t, total-users, e.Count(t, `SELECT count(*) FROM evidence`))
	require.Zero(t, e.Count(t, `SELECT count(*) FROM evidence WHERE kind = 'entra.user'`))
	require.Zero(t, e.Count(t, `SELECT count(*) FROM evidence_current WHERE kind = 'entra.user'`))
	require.Equal(t, total-users, e.Count(t, `SELECT count(*) FROM assessment_evidence WHERE assessment_id = $1`, a.ID))
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'evidence.purge' AND details->>'records' = $1`, strconv.Itoa(users)))
	require.Equal(t, otherRows, other.Count(t, `SELECT count(*) FROM evidence`), "another organization's evidence is untouched")

	// Run again: nothing left to purge, nothing audited.
	n, err = retention.PurgeOrg(ctx, e.DB.Pool, e.Org.ID, e.Clock.Now())
	require.NoError(t, err)
	require.Zero(t, n)
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'evidence.purge'`))
}

// evidenceIDs runs an id query in the organization's scope.
func evidenceIDs(t *testing.T, e *synctest.Env, query string, args ...any) []int64 {
	t.Helper()
	var out []int64
	require.NoError(t, db.InOrg(context.Background(), e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), query, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	}))
	return out
}
