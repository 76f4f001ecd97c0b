package account_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/testdb"
)

var q = dbsqlc.New()

// existingPassword is the password of the accounts fixture.add creates.
const existingPassword = "an existing passphrase"

type fixture struct {
	svc    *account.Service
	hasher *auth.Hasher
	// verify checks passwords as the sign-in page does.
	verify account.Verifier
	clock  *clock.Fake
	org    dbsqlc.Organization
	owner  audit.Actor
}

func setup(t *testing.T) *fixture {
	t.Helper()
	tdb := testdb.New(t)
	clk := clock.NewFake(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	hasher, err := auth.NewHasher(argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
	require.NoError(t, err)
	signIn := &auth.Service{Pool: tdb.Pool, Clock: clk, Hasher: hasher, Throttle: auth.DefaultThrottle, Log: slog.New(slog.DiscardHandler)}
	verify := func(ctx context.Context, email, password string) (dbsqlc.User, error) {
		return signIn.Authenticate(ctx, email, password, auth.Client{IP: "192.0.2.1"})
	}
	f := &fixture{svc: &account.Service{Pool: tdb.Pool, Clock: clk}, hasher: hasher, verify: verify, clock: clk}
	f.org, err = f.svc.CreateOrg(context.Background(), "Acme Corp", "acme", audit.SystemActor("test"))
	require.NoError(t, err)
	owner := f.add(t, "owner@acme.test", account.RoleOwner)
	f.owner = audit.UserActor(owner.ID, owner.Email)
	return f
}

func (f *fixture) add(t *testing.T, email, role string) dbsqlc.User {
	t.Helper()
	var expires *time.Time
	if role == account.RoleAuditor {
		e := f.clock.Now().Add(30 * 24 * time.Hour)
		expires = &e
	}
	u, err := f.svc.AddMember(context.Background(), f.hasher, f.org.ID, account.Member{
		Email: email, Password: existingPassword, Role: role, ExpiresAt: expires,
	}, audit.SystemActor("test"))
	require.NoError(t, err)
	return u
}

func (f *fixture) invite(t *testing.T, email string) account.Invited {
	t.Helper()
	inv, err := f.svc.Invite(context.Background(), f.org.ID, f.owner, email, f.clock.Now().Add(60*24*time.Hour), nil)
	require.NoError(t, err)
	return inv
}

func (f *fixture) membership(t *testing.T, userID uuid.UUID) dbsqlc.Membership {
	t.Helper()
	var m dbsqlc.Membership
	require.NoError(t, db.InOrg(context.Background(), f.svc.Pool, f.org.ID, func(tx pgx.Tx) error {
		var err error
		m, err = q.MembershipGet(context.Background(), tx, dbsqlc.MembershipGetParams{OrgID: f.org.ID, UserID: userID})
		return err
	}))
	return m
}

func TestInvitationLinkCarriesOnlyTheSecret(t *testing.T) {
	t.Parallel()
	f := setup(t)
	inv := f.invite(t, "  New.Auditor@Firm.TEST ")
	require.Equal(t, "new.auditor@firm.test", inv.Invitation.Email)
	require.Len(t, inv.Token, 43)
	require.Equal(t, "/invitations/"+f.org.ID.String()+"/"+inv.Token, inv.Path())
	require.NotContains(t, string(inv.Invitation.TokenHash), inv.Token)
	require.True(t, f.clock.Now().Add(account.InvitationLinkLifetime).Equal(inv.Invitation.LinkExpiresAt))
}

func TestAcceptIsSingleUseUnderConcurrency(t *testing.T) {
	t.Parallel()
	f := setup(t)
	inv := f.invite(t, "race@firm.test")
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.svc.Accept(context.Background(), f.hasher, f.verify, f.org.ID, inv.Token,
				account.Acceptance{Password: "a long enough passphrase", Confirm: "a long enough passphrase"})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		var invalid *account.InvalidInvitationError
		switch {
		case err == nil:
			won++
		case errors.As(err, &invalid):
			require.Equal(t, "used", invalid.Reason)
		default:
			require.NoError(t, err)
		}
	}
	require.Equal(t, 1, won, "exactly one acceptance")
}

func TestAcceptRenewsAnAuditorButNeverDemotesAManager(t *testing.T) {
	t.Parallel()
	f := setup(t)
	auditor := f.add(t, "returning@firm.test", account.RoleAuditor)
	inv := f.invite(t, auditor.Email)
	_, err := f.svc.Accept(context.Background(), f.hasher, f.verify, f.org.ID, inv.Token, account.Acceptance{Password: "a new passphrase here", Confirm: "a new passphrase here"})
	require.ErrorIs(t, err, account.ErrCredentials, "an existing account must prove its password, not replace it")

	accepted, err := f.svc.Accept(context.Background(), f.hasher, f.verify, f.org.ID, inv.Token, account.Acceptance{Password: existingPassword, Confirm: existingPassword})
	require.NoError(t, err)
	require.Equal(t, "acme", accepted.OrgSlug)
	m := f.membership(t, auditor.ID)
	require.Equal(t, account.RoleAuditor, m.Role)
	require.True(t, m.ExpiresAt.Equal(*inv.Invitation.AccessExpiresAt), "the access is renewed to the invitation's expiry")

	// Someone invited as an auditor who became an admin meanwhile stays admin.
	later := f.invite(t, "promoted@firm.test")
	admin := f.add(t, "promoted@firm.test", account.RoleAdmin)
	_, err = f.svc.Accept(context.Background(), f.hasher, f.verify, f.org.ID, later.Token, account.Acceptance{Password: existingPassword, Confirm: existingPassword})
	var fe *account.FieldError
	require.ErrorAs(t, err, &fe)
	require.True(t, strings.Contains(fe.Message, "already an owner or admin"), fe.Message)
	require.Equal(t, account.RoleAdmin, f.membership(t, admin.ID).Role)
	_, err = f.svc.Invitation(context.Background(), f.org.ID, later.Token)
	require.NoError(t, err, "the refused acceptance left the invitation usable")
}

func TestInviteRefusesManagersAndForeignOrganizations(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, err := f.svc.Invite(context.Background(), f.org.ID, f.owner, "owner@acme.test", f.clock.Now().Add(time.Hour), nil)
	var fe *account.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "email", fe.Field)

	// A link of one organization opened under another's id finds nothing.
	inv := f.invite(t, "someone@firm.test")
	other, err := f.svc.CreateOrg(context.Background(), "Globex", "globex", audit.SystemActor("test"))
	require.NoError(t, err)
	_, err = f.svc.Invitation(context.Background(), other.ID, inv.Token)
	var invalid *account.InvalidInvitationError
	require.ErrorAs(t, err, &invalid)
	require.Equal(t, "unknown", invalid.Reason)
}

func TestInvitationEventsKeepTheAuditChainValid(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	f.invite(t, "twice@firm.test")
	second := f.invite(t, "twice@firm.test") // replaces the first
	accepted, err := f.svc.Accept(ctx, f.hasher, f.verify, f.org.ID, second.Token, account.Acceptance{Password: "a long enough passphrase", Confirm: "a long enough passphrase"})
	require.NoError(t, err)
	f.invite(t, "twice@firm.test") // a renewal, pending
	require.NoError(t, f.svc.RevokeAuditor(ctx, f.org.ID, f.owner, accepted.User.ID))
	require.ErrorIs(t, f.svc.RevokeAuditor(ctx, f.org.ID, f.owner, accepted.User.ID), account.ErrNotFound)
	revoked := f.invite(t, "other@firm.test")
	require.NoError(t, f.svc.RevokeInvitation(ctx, f.org.ID, f.owner, revoked.Invitation.ID))
	require.ErrorIs(t, f.svc.RevokeInvitation(ctx, f.org.ID, f.owner, revoked.Invitation.ID), account.ErrNotFound)

	var rep audit.Report
	var pending int
	require.NoError(t, db.InOrg(ctx, f.svc.Pool, f.org.ID, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM invitations WHERE accepted_at IS NULL AND revoked_at IS NULL`).Scan(&pending); err != nil {
			return err
		}
		rep, err = audit.Verify(ctx, tx, f.org.ID)
		return err
	}))
	require.Zero(t, pending, "revoking the auditor withdrew their pending renewal")
	require.Nil(t, rep.Break)
}

func TestNoMemberIsAddedWithoutAPassword(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, err := f.svc.AddMember(context.Background(), f.hasher, f.org.ID, account.Member{Email: "nopass@acme.test", Role: account.RoleOwner}, audit.SystemActor("test"))
	require.ErrorIs(t, err, account.ErrPasswordRequired)
	_, err = f.svc.AddMember(context.Background(), f.hasher, f.org.ID, account.Member{Email: "owner@acme.test", Role: account.RoleOwner}, audit.SystemActor("test"))
	require.ErrorIs(t, err, account.ErrPasswordRequired, "nor is an existing account's membership changed without one")
	var users int
	require.NoError(t, db.Tx(context.Background(), f.svc.Pool, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM users WHERE email = 'nopass@acme.test'`).Scan(&users)
	}))
	require.Zero(t, users)
}

func TestAnAccountWithoutAPasswordCannotAcceptAnInvitation(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	var user dbsqlc.User
	require.NoError(t, db.Tx(ctx, f.svc.Pool, func(tx pgx.Tx) error {
		var err error
		user, err = q.UserCreate(ctx, tx, dbsqlc.UserCreateParams{Email: "legacy@firm.test"})
		return err
	}))
	inv := f.invite(t, user.Email)
	_, err := f.svc.Accept(ctx, f.hasher, f.verify, f.org.ID, inv.Token, account.Acceptance{Password: "a chosen passphrase", Confirm: "a chosen passphrase"})
	require.ErrorIs(t, err, account.ErrCredentials)
	require.NoError(t, db.Tx(ctx, f.svc.Pool, func(tx pgx.Tx) error {
		user, err = q.UserGet(ctx, tx, user.ID)
		return err
	}))
	require.Nil(t, user.PasswordHash, "the invitation set no password")
	_, err = f.svc.Invitation(ctx, f.org.ID, inv.Token)
	require.NoError(t, err, "the invitation is still pending")
}
