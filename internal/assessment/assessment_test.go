package assessment_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/assessment"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/synctest"
	"github.com/attesthq/attest/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

type env struct {
	*synctest.Env
	svc   *assessment.Service
	actor audit.Actor
	conn  uuid.UUID
}

// newEnv syncs the demo tenant once, an hour before "now".
func newEnv(t *testing.T) *env {
	t.Helper()
	e := synctest.New(t, synctest.Options{})
	conn := e.Connect(t)
	_, err := e.Sync(t, conn)
	require.NoError(t, err)
	e.Clock.Advance(time.Hour)
	return &env{Env: e, conn: conn, actor: audit.UserActor(e.Owner.ID, e.Owner.Email),
		svc: &assessment.Service{Pool: e.DB.Pool, Clock: e.Clock, Registry: e.Registry}}
}

func (e *env) draft(t *testing.T) (dbsqlc.Assessment, int64) {
	t.Helper()
	today := e.Clock.Now().UTC().Truncate(24 * time.Hour)
	a, n, err := e.svc.Create(context.Background(), e.Org.ID, e.actor, assessment.Draft{
		Name: "FY26 SOC 2 Type II", PeriodStart: today.AddDate(0, -1, 0), PeriodEnd: today,
	})
	require.NoError(t, err)
	return a, n
}

func TestCreateAttachesThePeriodsEvidence(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, n := e.draft(t)
	require.Equal(t, int64(e.Count(t, `SELECT count(*) FROM evidence`)), n, "every record was true during the period")
	require.Equal(t, assessment.StatusDraft, assessment.StatusOf(a))

	// A period that ended before the first sync holds nothing.
	first := e.Clock.Now().AddDate(0, 0, -1).UTC().Truncate(24 * time.Hour)
	_, none, err := e.svc.Create(context.Background(), e.Org.ID, e.actor, assessment.Draft{Name: "Before", PeriodStart: first.AddDate(0, 0, -30), PeriodEnd: first})
	require.NoError(t, err)
	require.Zero(t, none)

	// Bad drafts are refused with every problem named, and nothing is stored.
	today := e.Clock.Now().UTC().Truncate(24 * time.Hour)
	_, _, err = e.svc.Create(context.Background(), e.Org.ID, e.actor, assessment.Draft{
		Name: " ", PeriodStart: today, PeriodEnd: today.AddDate(0, 0, -1), Categories: []string{"CC", "X"},
	})
	var invalid *assessment.InvalidError
	require.ErrorAs(t, err, &invalid)
	require.Len(t, invalid.Problems, 4)
	require.Equal(t, 2, e.Count(t, `SELECT count(*) FROM assessments`))
}

func TestApprovalStoresTheRootHashAndFreezes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a, n := e.draft(t)
	removed := e.firstEvidence(t, a.ID)
	require.NoError(t, e.svc.Detach(ctx, e.Org.ID, e.actor, a.ID, removed))
	_, err := e.svc.Approve(ctx, e.Org.ID, e.actor, a.ID)
	require.ErrorIs(t, err, assessment.ErrState, "a draft is not approved directly")
	require.NoError(t, e.svc.Submit(ctx, e.Org.ID, e.actor, a.ID))
	require.ErrorIs(t, e.svc.Attach(ctx, e.Org.ID, e.actor, a.ID, removed), assessment.ErrState, "no changes in review")
	approved, err := e.svc.Approve(ctx, e.Org.ID, e.actor, a.ID)
	require.NoError(t, err)
	require.Equal(t, assessment.StatusApproved, assessment.StatusOf(approved))
	require.Equal(t, int32(n-1), *approved.EvidenceCount)

	// The root hash is SHA-256 over the sorted fingerprints, as documented.
	var fps [][]byte
	require.NoError(t, db.InOrg(ctx, e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT e.fingerprint FROM assessment_evidence ae JOIN evidence e ON e.id = ae.evidence_id WHERE ae.assessment_id = $1`, a.ID)
		if err != nil {
			return err
		}
		fps, err = pgx.CollectRows(rows, pgx.RowTo[[]byte])
		return err
	}))
	slices.SortFunc(fps, bytes.Compare)
	want := sha256.Sum256(bytes.Join(fps, nil))
	require.Equal(t, want[:], approved.RootHash)
	rec, ok := assessment.ParseCoverage(approved.Coverage)
	require.True(t, ok)
	require.Equal(t, 33, rec.InScope)
	require.Contains(t, []string{"passing", "failing"}, rec.Controls["CC6.1"])

	frozen := e.firstEvidence(t, a.ID)
	// As the application role, in the organization.
	for _, stmt := range []string{
		`DELETE FROM evidence WHERE id = $1`,
		`DELETE FROM assessment_evidence WHERE evidence_id = $1`,
		`UPDATE assessment_evidence SET included = false WHERE evidence_id = $1`,
	} {
		err := db.InOrg(ctx, e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, stmt, frozen)
			return err
		})
		require.ErrorContains(t, err, "frozen", stmt)
	}
	for _, stmt := range []string{
		`UPDATE assessments SET period_end = period_end + 1 WHERE id = $1`,
		`UPDATE assessments SET categories = '{A}' WHERE id = $1`,
		`DELETE FROM assessments WHERE id = $1`,
	} {
		err := db.InOrg(ctx, e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, stmt, a.ID)
			return err
		})
		require.ErrorContains(t, err, "frozen", stmt)
	}
	// As the table owner (scoped, as it must be to see the rows at all) and
	// as a superuser, which bypasses row-level security.
	for _, url := range []string{e.DB.URL, e.DB.AdminURL} {
		conn, err := pgx.Connect(ctx, url)
		require.NoError(t, err)
		_, err = conn.Exec(ctx, `SELECT set_config('app.org_id', $1, false)`, e.Org.ID.String())
		require.NoError(t, err)
		for _, stmt := range []string{
			`DELETE FROM evidence WHERE id = ` + strconv.FormatInt(frozen, 10),
			`DELETE FROM assessment_evidence WHERE evidence_id = ` + strconv.FormatInt(frozen, 10),
			`UPDATE assessments SET period_start = period_start - 1 WHERE id = '` + a.ID.String() + `'`,
			`DELETE FROM assessments WHERE id = '` + a.ID.String() + `'`,
			`TRUNCATE evidence CASCADE`,
			`TRUNCATE assessment_evidence`,
		} {
			_, err := conn.Exec(ctx, stmt)
			require.Error(t, err, stmt)
		}
		require.NoError(t, conn.Close(ctx))
	}
	require.Equal(t, int(n-1), e.Count(t, `SELECT count(*) FROM assessment_evidence`))

	// Evidence outside any approved assessment can still go (retention).
	require.NoError(t, db.InOrg(ctx, e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM evidence_current WHERE evidence_id = $1`, removed)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM evidence WHERE id = $1`, removed)
		return err
	}))

	actions := e.auditActions(t)
	for _, want := range []string{"assessment.create", "assessment.detach", "assessment.submit", "assessment.approve"} {
		require.Contains(t, actions, want)
	}
}

func TestWorkflowRefusesOutOfOrderSteps(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a, _ := e.draft(t)
	require.ErrorIs(t, e.svc.Reopen(ctx, e.Org.ID, e.actor, a.ID), assessment.ErrState)
	require.NoError(t, e.svc.Submit(ctx, e.Org.ID, e.actor, a.ID))
	require.ErrorIs(t, e.svc.Submit(ctx, e.Org.ID, e.actor, a.ID), assessment.ErrState)
	require.ErrorIs(t, e.svc.Delete(ctx, e.Org.ID, e.actor, a.ID), assessment.ErrState)
	require.NoError(t, e.svc.Reopen(ctx, e.Org.ID, e.actor, a.ID))
	require.NoError(t, e.svc.Delete(ctx, e.Org.ID, e.actor, a.ID))
	require.ErrorIs(t, e.svc.Submit(ctx, e.Org.ID, e.actor, a.ID), assessment.ErrNotFound)
	require.Zero(t, e.Count(t, `SELECT count(*) FROM assessment_evidence`))

	// Another organization's assessment is not found, not changed.
	other := synctest.New(t, synctest.Options{DB: e.DB})
	b, _ := e.draft(t)
	require.ErrorIs(t, e.svc.Submit(ctx, other.Org.ID, e.actor, b.ID), assessment.ErrNotFound)
}

func TestManualAttachAndRefresh(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a, n := e.draft(t)
	id := e.firstEvidence(t, a.ID)
	require.NoError(t, e.svc.Detach(ctx, e.Org.ID, e.actor, a.ID, id))
	refreshed, err := e.svc.Refresh(ctx, e.Org.ID, e.actor, a.ID)
	require.NoError(t, err)
	require.Zero(t, refreshed, "a removal survives a refresh")
	require.Equal(t, int(n-1), e.Count(t, `SELECT count(*) FROM assessment_evidence WHERE included`))
	require.NoError(t, e.svc.Attach(ctx, e.Org.ID, e.actor, a.ID, id))
	require.Equal(t, int(n), e.Count(t, `SELECT count(*) FROM assessment_evidence WHERE included`))
	// A record of another organization cannot be attached.
	require.NoError(t, e.svc.Attach(ctx, e.Org.ID, e.actor, a.ID, -1))
	require.Equal(t, int(n), e.Count(t, `SELECT count(*) FROM assessment_evidence`))
}

func (e *env) firstEvidence(t *testing.T, assessmentID uuid.UUID) int64 {
	t.Helper()
	var id int64
	require.NoError(t, db.InOrg(context.Background(), e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT min(evidence_id) FROM assessment_evidence WHERE assessment_id = $1 AND included`, assessmentID).Scan(&id)
	}))
	return id
}

func (e *env) auditActions(t *testing.T) []string {
	t.Helper()
	var out []string
	require.NoError(t, db.InOrg(context.Background(), e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), `SELECT action FROM audit_log ORDER BY seq`)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	}))
	return out
}
