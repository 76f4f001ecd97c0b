package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
)

// ASVS 4.1.3 / 7.1.3: a caller writes nothing into an organization it is not
// signed into. An owner of another organization replaying an Acme
// callback is told the state is not valid, and neither organization's audit
// log gains a row; the rightful session still completes.
func TestCallbackReplayedByOutsiderWritesNothingToTheOrganization(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	callback := b.consent(t, owner, startConnect(t, owner, simulatedForm()), "accept")
	acmeBefore := b.auditActions(t, b.org.ID)

	globex, err := b.accounts.CreateOrg(context.Background(), "Globex", "globex", audit.SystemActor("test"))
	require.NoError(t, err)
	b.member(t, globex.ID, "owner@globex.test", "globex owner passphrase", account.RoleOwner, nil)
	outsider := b.client(t)
	outsider.Login("owner@globex.test", "globex owner passphrase")
	globexBefore := b.auditActions(t, globex.ID)

	r := outsider.Get(callback)
	require.Equal(t, http.StatusBadRequest, r.StatusCode)
	require.Contains(t, r.Text(), "This authorization response is not valid")
	require.NotContains(t, r.Text(), "Acme")
	require.Equal(t, acmeBefore, b.auditActions(t, b.org.ID))
	require.Equal(t, globexBefore, b.auditActions(t, globex.ID))

	require.Equal(t, http.StatusSeeOther, owner.Get(callback).StatusCode)
	require.Zero(t, countOf(b.auditActions(t, b.org.ID), "connection.callback_rejected"))
}

// An auditor whose Acme access was revoked is no longer signed into Acme
// (only into Globex): the replay is refused the same way and writes nothing.
func TestCallbackReplayedAfterMembershipEndedWritesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	callback := b.consent(t, owner, startConnect(t, owner, simulatedForm()), "accept")

	globex, err := b.accounts.CreateOrg(context.Background(), "Globex", "globex", audit.SystemActor("test"))
	require.NoError(t, err)
	b.member(t, globex.ID, auditorEmail, auditPassword, account.RoleAuditor, nil)
	auditor := b.client(t)
	auditor.Login(auditorEmail, auditPassword)
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `UPDATE memberships SET revoked_at = $1 WHERE user_id = (SELECT id FROM users WHERE email = $2)`, b.clock.Now(), auditorEmail)
		return err
	}))
	acmeBefore := b.auditActions(t, b.org.ID)

	r := auditor.Get(callback)
	require.Equal(t, http.StatusBadRequest, r.StatusCode)
	require.Equal(t, acmeBefore, b.auditActions(t, b.org.ID))
}
