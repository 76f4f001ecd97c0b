package jobs_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/metrics"
	"github.com/attesthq/attest/internal/synctest"
	"github.com/attesthq/attest/internal/webtest"
	"github.com/attesthq/attest/jobs"
)

// refuseOrg makes every query in the organization's transactions fail, as a
// genuine database error would: a restrictive policy on organizations and
// connections raises whenever app.org_id names it.
func refuseOrg(t *testing.T, e *synctest.Env, org uuid.UUID) {
	t.Helper()
	ctx := context.Background()
	owner, err := pgx.Connect(ctx, e.DB.URL)
	require.NoError(t, err)
	defer owner.Close(ctx)
	_, err = owner.Exec(ctx, `
CREATE FUNCTION test_refuse_org() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('app.org_id', true) = '`+org.String()+`' THEN
        RAISE EXCEPTION 'test: this organization is refused';
    END IF;
    RETURN true;
END $$;
CREATE POLICY test_refuse ON organizations AS RESTRICTIVE USING (test_refuse_org());
CREATE POLICY test_refuse ON connections AS RESTRICTIVE USING (test_refuse_org());
CREATE POLICY test_refuse ON documents AS RESTRICTIVE USING (test_refuse_org());`)
	require.NoError(t, err)
}

// addDocument adds a document to the environment's organization, as its
// owner would.
func addDocument(t *testing.T, e *synctest.Env) {
	t.Helper()
	require.NoError(t, db.InOrg(context.Background(), e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `INSERT INTO documents (org_id, title, owner_user_id, review_cadence, next_review_on, created_at, updated_at)
VALUES ($1, 'Access policy', $2, 'yearly', '2027-06-01', $3, $3)`, e.Org.ID, e.Owner.ID, e.Clock.Now())
		return err
	}))
}

// failures scrapes the count of organizations a job kind failed on.
func failures(t *testing.T, m *metrics.Set, kind string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if strings.HasPrefix(line, `attest_org_job_failures_total{kind="`+kind+`"} `) {
			return strings.TrimPrefix(line, `attest_org_job_failures_total{kind="`+kind+`"} `)
		}
	}
	return "0"
}

func TestAFailingOrganizationIsCountedAndTheWalkGoesOn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := synctest.New(t, synctest.Options{})
	orgs := []uuid.UUID{e.Org.ID}
	for _, slug := range []string{"globex", "initech"} {
		o, err := e.Accounts.CreateOrg(ctx, slug, slug, audit.SystemActor("test"))
		require.NoError(t, err)
		orgs = append(orgs, o.ID)
	}
	// The walk goes in id order: the failing organization is the first.
	slices.SortFunc(orgs, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
	refuseOrg(t, e, orgs[0])
	logs := &webtest.Logs{}
	m := metrics.New(metrics.Options{})
	report := jobs.OrgWalkReport{Log: logs.Logger(), Metrics: m}

	snapshot := &jobs.SnapshotWorker{Pool: e.DB.Pool, Clock: e.Clock, Registry: e.Registry, Report: report}
	require.NoError(t, snapshot.Work(ctx, &river.Job[jobs.SnapshotArgs]{}), "the failure is reported, not retried")
	require.Equal(t, "1", failures(t, m, jobs.SnapshotArgs{}.Kind()))
	admin, err := pgx.Connect(ctx, e.DB.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	rows, err := admin.Query(ctx, `SELECT org_id FROM coverage_snapshots ORDER BY org_id`)
	require.NoError(t, err)
	snapshotted, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	require.NoError(t, err)
	require.Equal(t, orgs[1:], snapshotted, "the organizations after the failing one were snapshotted")
	require.Contains(t, logs.String(), `"org_id":"`+orgs[0].String()+`"`)
	require.Contains(t, logs.String(), "this organization is refused")

	purge := &jobs.PurgeWorker{Pool: e.DB.Pool, Clock: e.Clock, Report: report}
	require.NoError(t, purge.Work(ctx, &river.Job[jobs.PurgeArgs]{}))
	require.Equal(t, "1", failures(t, m, jobs.PurgeArgs{}.Kind()))
	_, err = jobs.PurgeAll(ctx, e.DB.Pool, e.Clock)
	var failed *jobs.OrgFailures
	require.ErrorAs(t, err, &failed)
	require.Equal(t, orgs[:1], failed.Orgs)
}

func TestAlertReconciliationCountsAFailingOrganization(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := synctest.New(t, synctest.Options{})
	e.Connect(t)
	addDocument(t, e) // so the documents' walk reads a row of the refused organization
	refuseOrg(t, e, e.Org.ID)
	m := metrics.New(metrics.Options{})
	w := &jobs.StalenessWorker{Pool: e.DB.Pool, Clock: e.Clock, Report: jobs.OrgWalkReport{Log: quiet, Metrics: m}}
	require.NoError(t, w.Work(ctx, &river.Job[jobs.StalenessArgs]{}))
	require.Equal(t, "1", failures(t, m, jobs.StalenessArgs{}.Kind()))
	require.Equal(t, "1", failures(t, m, "document_alerts"), "the documents' walk counts it too, and goes on")
}
