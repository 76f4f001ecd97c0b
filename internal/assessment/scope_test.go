package assessment_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/assessment"
	"github.com/attesthq/attest/internal/scope"
)

// TestApprovalRecordsTheScopeAndFreezesIt: the criteria marked not
// applicable when an assessment is approved are stored with it, leave its
// coverage denominator, do not follow later changes of the statement of
// applicability, and the database refuses to change them.
func TestApprovalRecordsTheScopeAndFreezesIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	scopes := &scope.Service{Pool: e.DB.Pool, Clock: e.Clock, Registry: e.Registry}
	const why = "We have no vendors with access to customer data."
	require.NoError(t, scopes.MarkNotApplicable(ctx, e.Org.ID, e.actor, e.Owner.ID, "CC9.2", why))
	// Availability is not in this assessment's scope: its marking is not recorded.
	require.NoError(t, scopes.MarkNotApplicable(ctx, e.Org.ID, e.actor, e.Owner.ID, "A1.3", "No recovery plan in the system boundary."))
	a, _ := e.draft(t)
	require.NoError(t, e.svc.Submit(ctx, e.Org.ID, e.actor, a.ID))
	approved, err := e.svc.Approve(ctx, e.Org.ID, e.actor, a.ID)
	require.NoError(t, err)

	rec, ok := assessment.ParseCoverage(approved.Coverage)
	require.True(t, ok)
	require.Equal(t, 32, rec.InScope)
	require.Equal(t, "not_applicable", rec.Controls["CC9.2"])

	// Bringing CC9.2 back into scope later changes nothing recorded.
	changed, err := scopes.MarkApplicable(ctx, e.Org.ID, e.actor, "CC9.2")
	require.NoError(t, err)
	require.True(t, changed)
	var got []assessment.Exemption
	require.NoError(t, db.InOrg(ctx, e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		got, err = assessment.NotApplicable(ctx, tx, approved)
		return err
	}))
	require.Len(t, got, 1)
	require.Equal(t, "CC9.2", got[0].Criterion)
	require.Equal(t, why, got[0].Justification)
	require.Equal(t, e.Owner.Email, got[0].MarkedBy)

	// As the application role, in the organization: frozen.
	for _, stmt := range []string{
		`UPDATE assessment_scope SET justification = 'rewritten after the fact' WHERE assessment_id = $1`,
		`DELETE FROM assessment_scope WHERE assessment_id = $1`,
		`INSERT INTO assessment_scope (org_id, assessment_id, criterion, justification, marked_by, marked_at)
		 SELECT org_id, id, 'CC1.1', 'added after approval', approved_by, now() FROM assessments WHERE id = $1`,
	} {
		err := db.InOrg(ctx, e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, stmt, a.ID)
			return err
		})
		require.Error(t, err, stmt)
		require.Contains(t, err.Error(), "assessment_scope", stmt)
	}
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM assessment_scope`))
	require.Contains(t, e.auditActions(t), "scope.not_applicable")
	require.Contains(t, e.auditActions(t), "scope.applicable")
}
