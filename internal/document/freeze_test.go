package document_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/assessment"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/document"
)

// exec runs one statement in the organization as the application role.
func (f *fixture) exec(t *testing.T, sql string, args ...any) error {
	t.Helper()
	return db.InOrg(context.Background(), f.db.Pool, f.org.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), sql, args...)
		return err
	})
}

func TestRevisionsAndTheirBytesNeverChange(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	doc := f.create(t, policyPDF, "CC1.1")
	rev := f.revisions(t, doc.ID)[0]
	changes := []string{
		`UPDATE document_revisions SET file_name = 'other.pdf' WHERE id = $1`,
		`UPDATE document_revisions SET sha256 = sha256('x') WHERE id = $1`,
		`UPDATE document_blobs SET chunk = 'x' WHERE revision_id = $1`,
	}
	// The application role may not update them at all, and even the
	// schema's owner is refused by the triggers.
	ctx := context.Background()
	owner, err := pgx.Connect(ctx, f.db.URL)
	require.NoError(t, err)
	defer owner.Close(ctx)
	_, err = owner.Exec(ctx, `SELECT set_config('app.org_id', $1, false)`, f.org.ID.String())
	require.NoError(t, err)
	for _, sql := range changes {
		var pgErr *pgconn.PgError
		require.ErrorAs(t, f.exec(t, sql, rev.ID), &pgErr, sql)
		require.Equal(t, "42501", pgErr.Code, sql)
		_, err := owner.Exec(ctx, sql, rev.ID)
		require.ErrorContains(t, err, "immutable", sql)
	}
}

func TestARevisionFrozenInAnApprovedAssessmentCannotBeDeleted(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	doc := f.create(t, policyPDF, "CC1.1")
	rev := f.revisions(t, doc.ID)[0]
	f.clock.Advance(time.Hour)
	svc := &assessment.Service{Pool: f.db.Pool, Clock: f.clock, Registry: connector.NewRegistry()}
	ctx := context.Background()
	today := f.clock.Now().UTC().Truncate(24 * time.Hour)
	a, attached, err := svc.Create(ctx, f.org.ID, f.actor, assessment.Draft{Name: "FY26", PeriodStart: today.AddDate(0, -1, 0), PeriodEnd: today})
	require.NoError(t, err)
	require.Equal(t, int64(1), attached, "the period's document revision is attached")

	// A draft holds nothing frozen yet: the application role may delete an
	// attached revision's bytes (inside a transaction rolled back here).
	err = db.InOrg(ctx, f.db.Pool, f.org.ID, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM document_blobs WHERE revision_id = $1`, rev.ID); err != nil {
			return err
		}
		return errRollback
	})
	require.ErrorIs(t, err, errRollback)

	require.NoError(t, svc.Submit(ctx, f.org.ID, f.actor, a.ID))
	_, err = svc.Approve(ctx, f.org.ID, f.actor, a.ID)
	require.NoError(t, err)
	require.ErrorContains(t, f.exec(t, `DELETE FROM document_blobs WHERE revision_id = $1`, rev.ID), "frozen")
	require.ErrorContains(t, f.exec(t, `DELETE FROM document_revisions WHERE id = $1`, rev.ID), "frozen")
	require.ErrorContains(t, f.exec(t, `DELETE FROM evidence WHERE id = $1`, rev.EvidenceID), "frozen")
	require.Equal(t, policyPDF, read(t, f, doc.ID, rev.ID))
}

type rollback struct{}

func (rollback) Error() string { return "rollback" }

var errRollback error = rollback{}

// Bytes altered behind attest's back (here by the cluster administrator,
// with triggers off) no longer hash to the stored SHA-256: the download is
// refused and one tamper alert opens, however often it is tried.
func TestADownloadWhoseBytesChangedIsRefusedAndAlerted(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	doc := f.create(t, policyPDF, "CC1.1")
	rev := f.revisions(t, doc.ID)[0]
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, f.db.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	_, err = admin.Exec(ctx, `SET session_replication_role = replica`)
	require.NoError(t, err)
	_, err = admin.Exec(ctx, `UPDATE document_blobs SET chunk = overlay(chunk PLACING '9'::bytea FROM 30 FOR 1) WHERE revision_id = $1`, rev.ID)
	require.NoError(t, err)

	for range 2 {
		_, err = f.svc.Open(ctx, f.org.ID, f.actor, true, doc.ID, rev.ID)
		require.ErrorIs(t, err, document.ErrTampered)
	}
	require.Equal(t, 1, f.count(t, `SELECT count(*) FROM alerts WHERE document_id = $1 AND kind = $2 AND resolved_at IS NULL`, doc.ID, document.KindTampered))
	require.Zero(t, f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'document.download'`), "a refused download is not a download")
}

func TestAnAuditorsDownloadIsAudited(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	doc := f.create(t, policyPDF, "CC1.1")
	rev := f.revisions(t, doc.ID)[0]
	d, err := f.svc.Open(context.Background(), f.org.ID, f.actor, true, doc.ID, rev.ID)
	require.NoError(t, err)
	require.NoError(t, d.Close())
	_ = read(t, f, doc.ID, rev.ID) // an owner's download is not
	require.Equal(t, 1, f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'document.download'`))
}
