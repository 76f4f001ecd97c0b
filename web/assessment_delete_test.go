package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
)

// A draft an invitation or an auditor is limited to is not deleted: the
// owner is told who is limited to it and to revoke them first; once they
// are, the draft goes and the ended links are cleared in the audit row.
func TestDeletingADraftSomeoneIsLimitedToIsRefusedWithWhoHoldsIt(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	draft := b.assessment(t, b.org.ID, "FY26 fieldwork")
	path := "/o/acme/assessments/" + draft.String()
	b.invite(t, c, "acme", "lead@audit.test", 30, draft.String())

	remove := func() string {
		t.Helper()
		c.Get(path)
		r := c.Post(path+"/delete", nil)
		require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
		if r.Location() != path {
			return ""
		}
		return c.Get(path).Doc(t).Find(".flash-error").Text()
	}
	require.Equal(t, "Not deleted: 1 pending invitation (lead@audit.test) can see only this assessment. "+
		"Revoke them on the Auditors page first, then delete the draft.", remove())

	// The invitation is revoked; an auditor limited to the draft holds it now.
	var invitation string
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT id::text FROM invitations WHERE assessment_id = $1`, draft).Scan(&invitation)
	}))
	c.Get("/o/acme/auditors")
	require.Equal(t, http.StatusSeeOther, c.Post("/o/acme/auditors/invitations/"+invitation+"/revoke", nil).StatusCode)
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `UPDATE memberships SET assessment_id = $1 WHERE user_id = $2`, draft, b.userID(t, auditorEmail))
		return err
	}))
	require.Equal(t, "Not deleted: 1 auditor ("+auditorEmail+") can see only this assessment. "+
		"Revoke them on the Auditors page first, then delete the draft.", remove())
	require.Equal(t, 1, b.count(t, b.org.ID, `SELECT count(*) FROM assessments WHERE id = $1`, draft))

	c.Get("/o/acme/auditors")
	require.Equal(t, http.StatusSeeOther, c.Post("/o/acme/auditors/"+b.userID(t, auditorEmail).String()+"/revoke", nil).StatusCode)
	require.Empty(t, remove(), "deleted")
	require.Zero(t, b.count(t, b.org.ID, `SELECT count(*) FROM assessments WHERE id = $1`, draft))
	require.Equal(t, 1, b.count(t, b.org.ID, `SELECT count(*) FROM audit_log WHERE action = 'assessment.delete'
		AND details->>'released_ended_invitations' = '1' AND details->>'released_revoked_auditors' = '1'`))
	require.NotContains(t, b.logs.String(), "request failed")
}
