package web_test

// ASVS V2 (authentication): an invitation link is not a credential for an
// existing account. It never sets or changes an account's password, an
// existing account accepts only with its own password (under the sign-in
// throttle), the page does not tell the link's holder whether the email has
// an account, and every password set is audited.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/webtest"
)

const (
	globexOwnerEmail = "owner@globex.test"
	// legacyOwnerEmail owns Acme without a password, as `attest user
	// create` without --password-stdin used to leave an account.
	legacyOwnerEmail = "legacy.owner@acme.test"
	// chosenPassword is what the holder of another organization's link
	// tries to give an account.
	chosenPassword = "attacker chosen passphrase"
)

// globex creates a second organization whose owner (an attacker, here) can
// invite anyone, and returns that owner's signed-in browser.
func (b *bundle) globex(t *testing.T) (dbsqlc.Organization, *webtest.Client) {
	t.Helper()
	org, err := b.accounts.CreateOrg(context.Background(), "Globex", "globex", audit.SystemActor("test"))
	require.NoError(t, err)
	b.member(t, org.ID, globexOwnerEmail, ownerPassword, account.RoleOwner, nil)
	c := b.client(t)
	c.Login(globexOwnerEmail, ownerPassword)
	return org, c
}

// passwordlessOwner adds an owner of org without a password, written
// directly: no code path creates one any more, but databases may hold them.
func (b *bundle) passwordlessOwner(t *testing.T, org dbsqlc.Organization, email string) {
	t.Helper()
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, org.ID, func(tx pgx.Tx) error {
		u, err := q.UserCreate(context.Background(), tx, dbsqlc.UserCreateParams{Email: email})
		if err != nil {
			return err
		}
		_, err = q.MembershipUpsert(context.Background(), tx, dbsqlc.MembershipUpsertParams{OrgID: org.ID, UserID: u.ID, Role: account.RoleOwner, CreatedAt: b.clock.Now()})
		return err
	}))
}

// passwordHash reads an account's stored password hash ("" for none).
func (b *bundle) passwordHash(t *testing.T, email string) string {
	t.Helper()
	var hash *string
	require.NoError(t, db.Tx(context.Background(), b.tdb.Pool, func(tx pgx.Tx) error {
		u, err := q.UserGetByEmail(context.Background(), tx, email)
		hash = u.PasswordHash
		return err
	}))
	if hash == nil {
		return ""
	}
	return *hash
}

// passwordSets counts the organization's password-set audit rows for email.
func (b *bundle) passwordSets(t *testing.T, org dbsqlc.Organization, email string) int {
	t.Helper()
	return b.count(t, org.ID, `SELECT count(*) FROM audit_log WHERE action = $1 AND details->>'email' = $2`, account.ActionPasswordSet, email)
}

// acceptWith opens the link in a fresh browser and answers the form.
func (b *bundle) acceptWith(t *testing.T, link, password string) (*webtest.Client, *webtest.Response) {
	t.Helper()
	c := b.client(t)
	require.Equal(t, http.StatusOK, c.Get(link).StatusCode)
	return c, c.Post(link, url.Values{"password": {password}, "confirm": {password}})
}

func requireCredentialsRefused(t *testing.T, r *webtest.Response) {
	t.Helper()
	require.Equal(t, http.StatusUnauthorized, r.StatusCode, r.Text())
	require.Equal(t, "The invitation could not be accepted with this password. If you already use attest, enter the password you sign in with.",
		r.Doc(t).Find("#password-error").Text())
}

func TestInvitationFromAnotherOrganizationCannotSetAnExistingAccountsPassword(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.passwordlessOwner(t, b.org, legacyOwnerEmail)
	globex, attacker := b.globex(t)
	link := b.invite(t, attacker, "globex", legacyOwnerEmail, 30, "")

	holder, r := b.acceptWith(t, link, chosenPassword)
	requireCredentialsRefused(t, r)
	require.Empty(t, b.passwordHash(t, legacyOwnerEmail), "the account still has no password")
	require.NotEqual(t, http.StatusOK, holder.Get("/o/acme/").StatusCode, "the link's holder is not signed in as the owner")
	require.NotEqual(t, http.StatusOK, holder.Get("/o/globex/").StatusCode)

	fresh := b.client(t)
	fresh.Get("/login")
	require.Equal(t, http.StatusUnauthorized, fresh.Post("/login", url.Values{"email": {legacyOwnerEmail}, "password": {chosenPassword}}).StatusCode,
		"the chosen password opens nothing")
	require.Zero(t, b.count(t, globex.ID, `SELECT count(*) FROM invitations WHERE accepted_at IS NOT NULL`))
	require.Zero(t, b.count(t, globex.ID, `SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1`, legacyOwnerEmail))
	require.Zero(t, b.passwordSets(t, b.org, legacyOwnerEmail)+b.passwordSets(t, globex, legacyOwnerEmail))
	require.Contains(t, b.auditActions(t, b.org.ID), "auth.login_failed", "the attempt is a failed sign-in, recorded where the account works")
}

func TestExistingAccountAcceptsAnInvitationOnlyWithItsOwnPassword(t *testing.T) {
	t.Parallel()
	b := setup(t)
	globex, attacker := b.globex(t)
	link := b.invite(t, attacker, "globex", ownerEmail, 30, "")
	before := b.passwordHash(t, ownerEmail)

	_, guess := b.acceptWith(t, link, chosenPassword)
	requireCredentialsRefused(t, guess)
	require.Equal(t, before, b.passwordHash(t, ownerEmail), "the password is unchanged")
	require.Equal(t, 1, countOf(b.auditActions(t, b.org.ID), "auth.login_failed"), "a wrong password counts as a failed sign-in")

	// The real owner, signed in or not, accepts with the password they sign
	// in with; the link stayed usable after the guess.
	owner, r := b.acceptWith(t, link, ownerPassword)
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Equal(t, "/o/globex/", r.Location())
	require.Equal(t, http.StatusOK, owner.Follow("/o/globex/").StatusCode)
	require.Equal(t, http.StatusOK, owner.Follow("/o/acme/").StatusCode, "still the owner of Acme")
	require.Equal(t, before, b.passwordHash(t, ownerEmail))
	require.Equal(t, 1, b.passwordSets(t, b.org, ownerEmail), "only the password set when the owner was added")
	require.Zero(t, b.passwordSets(t, globex, ownerEmail), "accepting sets no password")
	require.Contains(t, b.auditActions(t, globex.ID), "auditor.invitation_accept")
}

// pageShape is a page with what legitimately differs between two
// invitations (the email and the link) taken out.
func pageShape(body, email, link string) string {
	return strings.ReplaceAll(strings.ReplaceAll(body, email, "EMAIL"), link, "LINK")
}

func TestInvitationPageDoesNotRevealWhetherTheEmailHasAnAccount(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.passwordlessOwner(t, b.org, legacyOwnerEmail)
	_, inviter := b.globex(t)
	emails := []string{"newcomer@firm.test", ownerEmail, auditorEmail, legacyOwnerEmail}
	links := map[string]string{}
	for _, email := range emails {
		links[email] = b.invite(t, inviter, "globex", email, 30, "")
	}

	c := b.client(t)
	answers := []struct {
		name   string
		answer func(link string) *webtest.Response
	}{
		{"page", func(link string) *webtest.Response { return c.Get(link) }},
		{"short password", func(link string) *webtest.Response {
			return c.Post(link, url.Values{"password": {"short"}, "confirm": {"short"}})
		}},
		{"no password", func(link string) *webtest.Response { return c.Post(link, url.Values{}) }},
		{"mismatch", func(link string) *webtest.Response {
			return c.Post(link, url.Values{"password": {chosenPassword}, "confirm": {chosenPassword + "!"}})
		}},
	}
	for _, a := range answers {
		var want string
		wantStatus := 0
		for _, email := range emails {
			r := a.answer(links[email])
			got := pageShape(r.Text(), email, links[email])
			if want == "" {
				require.Containsf(t, []int{http.StatusOK, http.StatusUnprocessableEntity}, r.StatusCode, "%s: %s", a.name, r.Text())
				want, wantStatus = got, r.StatusCode
				continue
			}
			require.Equalf(t, wantStatus, r.StatusCode, "%s for %s", a.name, email)
			require.Equalf(t, want, got, "%s for %s is the same page as for a new email", a.name, email)
		}
	}
	page := c.Get(links[ownerEmail]).Doc(t)
	require.Contains(t, page.Find(`[data-testid="accept-instructions"]`).Text(), "Sign in with your existing attest password, or choose a password if you are new to attest")
	require.Equal(t, ownerEmail, page.Find(`[data-testid="invited-email"]`).Text())
	require.Equal(t, 1, page.Find(`input[name="password"]`).Length())
}

func TestNewAccountFromAnInvitationAuditsItsPassword(t *testing.T) {
	t.Parallel()
	b := setup(t)
	link := b.invite(t, b.owner(t), "acme", "newcomer@firm.test", 30, "")
	_, r := b.acceptWith(t, link, invitedPassword)
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Equal(t, 1, b.passwordSets(t, b.org, "newcomer@firm.test"), "the new account's password is audited where it was chosen")
	require.NotEmpty(t, b.passwordHash(t, "newcomer@firm.test"))
}

// A regression guard rather than a fix: guessing an account's password
// through an invitation is throttled exactly as on the sign-in page, and the
// two share one count.
func TestInvitationPasswordGuessesShareTheSignInThrottle(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, attacker := b.globex(t)
	link := b.invite(t, attacker, "globex", ownerEmail, 30, "")
	holder := b.client(t)
	holder.Get(link)
	var throttled *webtest.Response
	for i := 0; i < 12 && throttled == nil; i++ {
		guess := fmt.Sprintf("guess number %02d of many", i)
		if r := holder.Post(link, url.Values{"password": {guess}, "confirm": {guess}}); r.StatusCode == http.StatusTooManyRequests {
			throttled = r
		} else {
			requireCredentialsRefused(t, r)
		}
	}
	require.NotNil(t, throttled, "the guesses are throttled")
	require.NotEmpty(t, throttled.Header.Get("Retry-After"))

	// The account's own sign-in is held back by the same count.
	fresh := b.client(t)
	fresh.Get("/login")
	require.Equal(t, http.StatusTooManyRequests, fresh.Post("/login", url.Values{"email": {ownerEmail}, "password": {ownerPassword}}).StatusCode)
}
