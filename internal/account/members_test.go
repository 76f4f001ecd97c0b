package account_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/account"
)

// requireLastOwnerRefused checks err is the database's last-owner refusal.
func requireLastOwnerRefused(t *testing.T, err error) {
	t.Helper()
	var pgErr *pgconn.PgError
	require.True(t, errors.As(err, &pgErr), "%v", err)
	require.Equal(t, "memberships_last_owner", pgErr.ConstraintName)
}

func TestDatabaseRefusesToLeaveAnOrganizationWithoutOwner(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	owner := *f.owner.ID
	for _, change := range []string{
		`UPDATE memberships SET role = 'admin' WHERE user_id = $1`,
		`UPDATE memberships SET revoked_at = now() WHERE user_id = $1`,
	} {
		err := db.InOrg(ctx, f.svc.Pool, f.org.ID, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, change, owner)
			return err
		})
		requireLastOwnerRefused(t, err)
	}
	require.Equal(t, account.RoleOwner, f.membership(t, owner).Role)

	// With a second owner either may go, but not both.
	second := f.add(t, "second@acme.test", account.RoleOwner)
	require.NoError(t, f.svc.SetMemberRole(ctx, f.org.ID, f.owner, second.ID, account.RoleAdmin))
	require.ErrorIs(t, f.svc.SetMemberRole(ctx, f.org.ID, f.owner, owner, account.RoleAdmin), account.ErrLastOwner)
	require.ErrorIs(t, f.svc.RemoveMember(ctx, f.org.ID, f.owner, owner), account.ErrLastOwner)
}

// Two transactions that each demote a different one of two owners, outside
// the service (so without its lock): the database lets only the first one
// through, whichever order the statements reach it in.
func TestDatabaseKeepsAnOwnerWhenTwoDemotionsRace(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	second := f.add(t, "second@acme.test", account.RoleOwner)
	demote := func(tx pgx.Tx, id uuid.UUID) error {
		_, err := tx.Exec(ctx, `UPDATE memberships SET role = 'admin' WHERE org_id = $1 AND user_id = $2`, f.org.ID, id)
		return err
	}
	first, err := f.svc.Pool.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = first.Rollback(ctx) }()
	_, err = first.Exec(ctx, `SELECT set_config('app.org_id', $1, true)`, f.org.ID.String())
	require.NoError(t, err)
	require.NoError(t, demote(first, *f.owner.ID))

	// The second demotion runs while the first is open: it must wait for
	// it (not decide on what it saw before the first committed).
	done := make(chan error, 1)
	go func() {
		done <- db.InOrg(ctx, f.svc.Pool, f.org.ID, func(tx pgx.Tx) error { return demote(tx, second.ID) })
	}()
	var result error
	waiting := false
	for !waiting {
		select {
		case result = <-done:
			require.NoError(t, first.Commit(ctx))
			requireLastOwnerRefused(t, result)
			return
		default:
		}
		require.NoError(t, f.svc.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks
			WHERE NOT granted AND pid IN (SELECT pid FROM pg_stat_activity WHERE datname = current_database()))`).Scan(&waiting))
	}
	require.NoError(t, first.Commit(ctx))
	requireLastOwnerRefused(t, <-done)
	require.Equal(t, account.RoleOwner, f.membership(t, second.ID).Role)
}
