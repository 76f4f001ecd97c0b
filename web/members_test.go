package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/webtest"
)

const (
	adminEmail    = "admin@acme.test"
	adminPassword = "admin passphrase 2026"
)

// inviteMember invites email as role from the members page, as the signed-in
// owner c, and returns the link's path, read from the page that shows it
// once after the redirect.
func (b *bundle) inviteMember(t *testing.T, c *webtest.Client, email, role string) string {
	t.Helper()
	c.Get("/o/acme/settings/members")
	r := c.Post("/o/acme/settings/members/invitations", url.Values{"email": {email}, "role": {role}})
	return b.shownLink(t, c, r, "/o/acme/settings/members")
}

// signedIn adds a member of Acme with role and returns their browser.
func (b *bundle) signedIn(t *testing.T, email, role string) *webtest.Client {
	t.Helper()
	b.member(t, b.org.ID, email, adminPassword, role, nil)
	c := b.client(t)
	c.Login(email, adminPassword)
	return c
}

// memberPath is a member's action path on the members page.
func (b *bundle) memberPath(t *testing.T, email, action string) string {
	t.Helper()
	return "/o/acme/settings/members/" + b.userID(t, email).String() + "/" + action
}

// liveRole is email's live role in Acme, or "" without one.
func (b *bundle) liveRole(t *testing.T, email string) string {
	t.Helper()
	roles := b.count(t, b.org.ID, `SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE u.email = $1 AND m.org_id = $2 AND m.revoked_at IS NULL`, email, b.org.ID)
	if roles == 0 {
		return ""
	}
	for _, r := range []string{account.RoleOwner, account.RoleAdmin, account.RoleAuditor} {
		if b.count(t, b.org.ID, `SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE u.email = $1 AND m.org_id = $2 AND m.revoked_at IS NULL AND m.role = $3`, email, b.org.ID, r) == 1 {
			return r
		}
	}
	return ""
}

// invitationID is the id of email's pending invitation to Acme.
func (b *bundle) invitationID(t *testing.T, email string) string {
	t.Helper()
	var id string
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT id::text FROM invitations WHERE email = $1 AND revoked_at IS NULL`, email).Scan(&id)
	}))
	return id
}

// owners counts Acme's live owners.
func (b *bundle) owners(t *testing.T) int {
	t.Helper()
	return b.count(t, b.org.ID, `SELECT count(*) FROM memberships WHERE org_id = $1 AND role = 'owner' AND revoked_at IS NULL`, b.org.ID)
}

func TestOwnerInvitesAnAdminWhoJoinsWithANewAccount(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.owner(t)
	link := b.inviteMember(t, owner, "new.admin@acme.test", account.RoleAdmin)

	page := owner.Get("/o/acme/settings/members").Doc(t)
	require.Zero(t, page.Find(`[data-testid="invitation-url"]`).Length(), "the link is shown once")
	require.Equal(t, 1, page.Find(`[data-testid="invitation-row"][data-email="new.admin@acme.test"]`).Length())
	require.Zero(t, owner.Get("/o/acme/auditors").Doc(t).Find(`[data-testid="invitation-row"]`).Length(), "auditors list only auditors' invitations")

	invited := b.client(t)
	form := invited.Get(link)
	require.Equal(t, http.StatusOK, form.StatusCode)
	require.Equal(t, "Join Acme Corp as an admin", form.Doc(t).Find("h1").Text())
	r := invited.Post(link, url.Values{"password": {invitedPassword}, "confirm": {invitedPassword}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Equal(t, "/o/acme/", r.Location())
	require.Equal(t, account.RoleAdmin, b.liveRole(t, "new.admin@acme.test"))

	// The new admin sees the team without its controls.
	members := invited.Follow("/o/acme/settings/members")
	require.Equal(t, http.StatusOK, members.StatusCode)
	doc := members.Doc(t)
	require.Equal(t, 1, doc.Find(`[data-testid="member-row"][data-email="new.admin@acme.test"][data-role="admin"]`).Length())
	require.Equal(t, 1, doc.Find(`[data-testid="member-row"][data-email="`+ownerEmail+`"][data-role="owner"]`).Length())
	require.Equal(t, 1, doc.Find(`[data-testid="owners-only"]`).Length())
	require.Zero(t, doc.Find(`form`).FilterFunction(func(_ int, f *goquerySelection) bool {
		return f.AttrOr("method", "") == "post" && f.AttrOr("action", "") != "/logout"
	}).Length(), "an admin gets no form that changes the team")
	requireInvalidLink(t, b.client(t).Get(link))

	actions := b.auditActions(t, b.org.ID)
	for _, a := range []string{"member.invite", "member.invitation_accept"} {
		require.Contains(t, actions, a)
	}
}

func TestExistingAccountJoinsAsOwnerWithItsOwnPassword(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.globex(t)
	before := b.passwordHash(t, globexOwnerEmail)
	owner := b.owner(t)
	link := b.inviteMember(t, owner, globexOwnerEmail, account.RoleOwner)

	_, refused := b.acceptWith(t, link, chosenPassword)
	requireCredentialsRefused(t, refused)
	require.Equal(t, "", b.liveRole(t, globexOwnerEmail))

	c, r := b.acceptWith(t, link, ownerPassword)
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Equal(t, account.RoleOwner, b.liveRole(t, globexOwnerEmail))
	require.Equal(t, before, b.passwordHash(t, globexOwnerEmail), "an invitation never sets an existing account's password")
	require.Equal(t, http.StatusOK, c.Follow("/o/acme/settings/members").StatusCode)
	require.Equal(t, http.StatusOK, c.Follow("/o/globex/").StatusCode, "the account keeps its own organization")
}

func TestOwnerChangesRolesButTheLastOwnerStays(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.member(t, b.org.ID, adminEmail, adminPassword, account.RoleAdmin, nil)
	owner := b.owner(t)
	owner.Get("/o/acme/settings/members")

	r := owner.Post(b.memberPath(t, adminEmail, "role"), url.Values{"role": {account.RoleOwner}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Equal(t, account.RoleOwner, b.liveRole(t, adminEmail))
	r = owner.Post(b.memberPath(t, adminEmail, "role"), url.Values{"role": {account.RoleAdmin}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Equal(t, account.RoleAdmin, b.liveRole(t, adminEmail))

	r = owner.Post(b.memberPath(t, adminEmail, "role"), url.Values{"role": {account.RoleAuditor}})
	require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode, "an auditor is made by an auditor's invitation, with its end date")

	for _, change := range []struct {
		action string
		form   url.Values
	}{{"role", url.Values{"role": {account.RoleAdmin}}}, {"remove", nil}} {
		r := owner.Post(b.memberPath(t, ownerEmail, change.action), change.form)
		require.Equal(t, http.StatusConflict, r.StatusCode, change.action)
		require.Contains(t, r.Doc(t).Find(`[data-testid="form-error"]`).Text(), "keeps at least one owner")
	}
	require.Equal(t, account.RoleOwner, b.liveRole(t, ownerEmail))

	require.Equal(t, 2, b.count(t, b.org.ID, `SELECT count(*) FROM audit_log WHERE action = 'member.role_change'`))
	require.Equal(t, 1, b.count(t, b.org.ID, `SELECT count(*) FROM audit_log WHERE action = 'member.role_change'
		AND details->>'email' = $1 AND details->>'role' = 'admin' AND details->>'previous_role' = 'owner'`, adminEmail))
}

func TestTwoOwnersDemotingEachOtherAtOnceLeaveOneOwner(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other := b.signedIn(t, adminEmail, account.RoleOwner)
	owner := b.owner(t)
	for round := range 5 {
		owner.Get("/o/acme/settings/members")
		other.Get("/o/acme/settings/members")
		demoteOther, demoteOwner := b.memberPath(t, adminEmail, "role"), b.memberPath(t, ownerEmail, "role")
		statuses := make([]int, 2)
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			statuses[0] = owner.Post(demoteOther, url.Values{"role": {account.RoleAdmin}}).StatusCode
		}()
		go func() {
			defer wg.Done()
			statuses[1] = other.Post(demoteOwner, url.Values{"role": {account.RoleAdmin}}).StatusCode
		}()
		wg.Wait()
		require.Equal(t, 1, b.owners(t), "round %d: %v", round, statuses)
		require.Contains(t, statuses, http.StatusSeeOther, "round %d", round)

		// Both owners again for the next round.
		for _, email := range []string{ownerEmail, adminEmail} {
			require.NoError(t, b.accounts.SetMemberRole(context.Background(), b.org.ID, audit.SystemActor("test"), b.userID(t, email), account.RoleOwner))
		}
	}
}

func TestAdminsSeeTheTeamButOnlyOwnersChangeIt(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.signedIn(t, adminEmail, account.RoleAdmin)
	require.Equal(t, http.StatusOK, admin.Get("/o/acme/settings/members").StatusCode)
	b.inviteMember(t, b.owner(t), "pending@acme.test", account.RoleAdmin)
	id := b.invitationID(t, "pending@acme.test")
	for _, p := range []struct {
		path string
		form url.Values
	}{
		{"/o/acme/settings/members/invitations", url.Values{"email": {"x@acme.test"}, "role": {"owner"}}},
		{"/o/acme/settings/members/invitations/" + id + "/revoke", nil},
		{b.memberPath(t, ownerEmail, "role"), url.Values{"role": {"admin"}}},
		{b.memberPath(t, adminEmail, "role"), url.Values{"role": {"owner"}}},
		{b.memberPath(t, ownerEmail, "remove"), nil},
		{"/o/acme/settings/name", url.Values{"name": {"Taken Over"}}},
	} {
		require.Equal(t, http.StatusForbidden, admin.Post(p.path, p.form).StatusCode, p.path)
	}
	require.Equal(t, account.RoleAdmin, b.liveRole(t, adminEmail))
	require.Equal(t, 1, b.owners(t))
	require.Equal(t, 6, b.count(t, b.org.ID, `SELECT count(*) FROM audit_log WHERE action = 'access.denied' AND details->>'role' = 'admin'`))
	require.Equal(t, 1, b.count(t, b.org.ID, `SELECT count(*) FROM invitations WHERE revoked_at IS NULL`))

	auditor := b.client(t)
	auditor.Login(auditorEmail, auditPassword)
	require.Equal(t, http.StatusForbidden, auditor.Get("/o/acme/settings/members").StatusCode)
}

func TestRemovedMemberLosesAccessAtOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.signedIn(t, adminEmail, account.RoleAdmin)
	require.Equal(t, http.StatusOK, admin.Get("/o/acme/").StatusCode)

	owner := b.owner(t)
	owner.Get("/o/acme/settings/members")
	r := owner.Post(b.memberPath(t, adminEmail, "remove"), nil)
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())

	require.Equal(t, http.StatusNotFound, admin.Get("/o/acme/").StatusCode, "the session that was signed in loses the organization")
	require.Equal(t, http.StatusNotFound, admin.Get("/o/acme/settings/members").StatusCode)
	require.Zero(t, owner.Get("/o/acme/settings/members").Doc(t).Find(`[data-testid="member-row"][data-email="`+adminEmail+`"]`).Length())
	require.Equal(t, 1, b.count(t, b.org.ID, `SELECT count(*) FROM audit_log WHERE action = 'member.remove' AND details->>'email' = $1`, adminEmail))

	// An owner may leave while another owner stays, and lands outside it.
	b.member(t, b.org.ID, "second.owner@acme.test", adminPassword, account.RoleOwner, nil)
	owner.Get("/o/acme/settings/members")
	left := owner.Post(b.memberPath(t, ownerEmail, "remove"), nil)
	require.Equal(t, http.StatusSeeOther, left.StatusCode, left.Text())
	require.Equal(t, "/", left.Location())
	require.Equal(t, http.StatusNotFound, owner.Get("/o/acme/").StatusCode)
	owner = b.client(t)
	owner.Login("second.owner@acme.test", adminPassword)

	// Invited again, they come back through the link with their own password.
	link := b.inviteMember(t, owner, adminEmail, account.RoleAdmin)
	_, back := b.acceptWith(t, link, adminPassword)
	require.Equal(t, http.StatusSeeOther, back.StatusCode, back.Text())
	require.Equal(t, http.StatusOK, admin.Get("/o/acme/").StatusCode)
}

func TestOwnerRenamesTheOrganization(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.owner(t)
	owner.Get("/o/acme/settings")

	for _, bad := range []string{"   ", strings.Repeat("é", 201), "Acme\nCorp"} {
		r := owner.Post("/o/acme/settings/name", url.Values{"name": {bad}})
		require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode, "%q", bad)
		require.NotEmpty(t, r.Doc(t).Find(`#org-name-error`).Text())
	}
	r := owner.Post("/o/acme/settings/name", url.Values{"name": {"  Acme Holdings  "}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	page := owner.Follow("/o/acme/settings").Doc(t)
	require.Equal(t, "Acme Holdings", page.Find(`#org-name`).AttrOr("value", ""))
	require.Equal(t, 1, b.count(t, b.org.ID, `SELECT count(*) FROM audit_log WHERE action = 'organization.rename'
		AND details->>'name' = 'Acme Holdings' AND details->>'previous_name' = 'Acme Corp'`))

	admin := b.signedIn(t, adminEmail, account.RoleAdmin)
	settings := admin.Get("/o/acme/settings").Doc(t)
	require.Equal(t, "Acme Holdings", settings.Find(`[data-testid="org-name"]`).Text())
	require.Zero(t, settings.Find(`[data-testid="rename-form"]`).Length())
}
