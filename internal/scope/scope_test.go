package scope_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/scope"
	"github.com/attesthq/attest/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

type fixture struct {
	tdb      *testdb.DB
	svc      *scope.Service
	accounts *account.Service
	org      uuid.UUID
	owner    uuid.UUID
	actor    audit.Actor
}

func setup(t *testing.T) *fixture {
	t.Helper()
	tdb := testdb.New(t)
	clk := clock.NewFake(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	f := &fixture{tdb: tdb, svc: &scope.Service{Pool: tdb.Pool, Clock: clk, Registry: connector.NewRegistry()}, accounts: &account.Service{Pool: tdb.Pool, Clock: clk}}
	org, err := f.accounts.CreateOrg(context.Background(), "Acme", "acme", audit.SystemActor("test"))
	require.NoError(t, err)
	f.org = org.ID
	f.owner = f.member(t, org.ID, "owner@acme.test", account.RoleOwner)
	f.actor = audit.UserActor(f.owner, "owner@acme.test")
	return f
}

func (f *fixture) member(t *testing.T, org uuid.UUID, email, role string) uuid.UUID {
	t.Helper()
	var expires *time.Time
	if role == account.RoleAuditor {
		at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		expires = &at
	}
	hasher, err := auth.NewHasher(argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
	require.NoError(t, err)
	u, err := f.accounts.AddMember(context.Background(), hasher, org, account.Member{Email: email, Password: "a member's long password", Role: role, ExpiresAt: expires}, audit.SystemActor("test"))
	require.NoError(t, err)
	return u.ID
}

func (f *fixture) rows(t *testing.T, query string) []string {
	t.Helper()
	var out []string
	require.NoError(t, db.InOrg(context.Background(), f.tdb.Pool, f.org, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), query)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	}))
	return out
}

func TestNotApplicableNeedsAJustificationAndIsAudited(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	for _, bad := range []string{"", "   n/a    ", strings.Repeat("x", scope.MaxJustification+1)} {
		require.ErrorIs(t, f.svc.MarkNotApplicable(ctx, f.org, f.actor, f.owner, "CC9.2", bad), scope.ErrJustification)
	}
	require.ErrorIs(t, f.svc.MarkNotApplicable(ctx, f.org, f.actor, f.owner, "CC99.1", "A long enough reason."), scope.ErrCriterion)
	require.Empty(t, f.rows(t, `SELECT criterion FROM criterion_scope`))

	require.NoError(t, f.svc.MarkNotApplicable(ctx, f.org, f.actor, f.owner, "CC9.2", "  No vendors handle customer data.  "))
	require.Equal(t, []string{"No vendors handle customer data."}, f.rows(t, `SELECT justification FROM criterion_scope WHERE criterion = 'CC9.2'`))
	changed, err := f.svc.MarkApplicable(ctx, f.org, f.actor, "CC9.2")
	require.NoError(t, err)
	require.True(t, changed)
	changed, err = f.svc.MarkApplicable(ctx, f.org, f.actor, "CC9.2")
	require.NoError(t, err)
	require.False(t, changed, "already applicable: nothing to record")
	require.Equal(t, []string{"scope.not_applicable", "scope.applicable"},
		f.rows(t, `SELECT action FROM audit_log WHERE target_type = 'control' AND target_id = 'CC9.2' ORDER BY seq`))
}

func TestOwnerIsALiveOwnerOrAdminOfTheOrganization(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	admin := f.member(t, f.org, "admin@acme.test", account.RoleAdmin)
	auditor := f.member(t, f.org, "auditor@firm.test", account.RoleAuditor)
	other, err := f.accounts.CreateOrg(ctx, "Other", "other", audit.SystemActor("test"))
	require.NoError(t, err)
	outsider := f.member(t, other.ID, "someone@other.test", account.RoleOwner)

	require.ErrorIs(t, f.svc.SetOwner(ctx, f.org, f.actor, f.owner, "CC6.1", &auditor), scope.ErrNotMember)
	require.ErrorIs(t, f.svc.SetOwner(ctx, f.org, f.actor, f.owner, "CC6.1", &outsider), scope.ErrNotMember)
	require.NoError(t, f.svc.SetOwner(ctx, f.org, f.actor, f.owner, "CC6.1", &admin))
	require.Equal(t, []string{admin.String()}, f.rows(t, `SELECT user_id::text FROM criterion_owners`))
	require.NoError(t, f.svc.SetOwner(ctx, f.org, f.actor, f.owner, "CC6.1", nil))
	require.Empty(t, f.rows(t, `SELECT user_id::text FROM criterion_owners`))
	require.Equal(t, []string{"control.owner_set", "control.owner_set"},
		f.rows(t, `SELECT action FROM audit_log WHERE target_id = 'CC6.1' ORDER BY seq`))

	// The database itself keeps an owner a member of the same organization.
	err = db.InOrg(ctx, f.tdb.Pool, f.org, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO criterion_owners (org_id, criterion, user_id, set_by, set_at) VALUES ($1, 'CC6.2', $2, $3, now())`,
			f.org, outsider, f.owner)
		return err
	})
	require.ErrorContains(t, err, "foreign key")
}
