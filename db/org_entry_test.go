package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/testdb"
)

// org_entry lists the organizations' columns by name: one added to the
// table and not to the function fails here.
func TestOrgEntryReturnsEveryColumnOfOrganizations(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	var table, function []string
	require.NoError(t, db.Tx(context.Background(), tdb.Pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), `SELECT column_name::text FROM information_schema.columns
			WHERE table_schema = 'public' AND table_name = 'organizations' ORDER BY ordinal_position`)
		if err != nil {
			return err
		}
		if table, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		return tx.QueryRow(context.Background(), `SELECT proargnames[5:] FROM pg_proc WHERE proname = 'org_entry'`).Scan(&function)
	}))
	require.Equal(t, table, function[:len(table)])
}

// A user enters only an organization of a live membership; the list names
// every organization they belong to, and the banner is the entered one's
// alone, read under its scope.
func TestOrgEntryEntersOnlyALiveMembershipsOrganization(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	mine, expired, foreign := createOrg(t, tdb, "mine"), createOrg(t, tdb, "expired"), createOrg(t, tdb, "foreign")
	var user uuid.UUID
	require.NoError(t, db.Tx(ctx, tdb.Pool, func(tx pgx.Tx) error {
		u, err := q.UserCreate(ctx, tx, dbsqlc.UserCreateParams{Email: "someone@example.test"})
		user = u.ID
		return err
	}))
	join := func(org uuid.UUID, role string, expires *time.Time) {
		require.NoError(t, db.InOrg(ctx, tdb.Pool, org, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO memberships (org_id, user_id, role, expires_at, created_by, created_at) VALUES ($1, $2, $3, $4, $2, $5)`,
				org, user, role, expires, now)
			return err
		}))
	}
	join(mine, "admin", nil)
	ended := now.Add(-time.Minute)
	join(expired, "auditor", &ended)

	entered := func(slug string, id uuid.UUID) (names []string, banner *dbsqlc.OrgBannerRow) {
		rows, err := db.OrgEntry(ctx, tdb.Pool, user, slug, id, now)
		require.NoError(t, err)
		for _, r := range rows {
			names = append(names, r.Organization.Slug)
			if r.Banner != nil {
				require.Nil(t, banner, "one organization is entered")
				banner = r.Banner
			}
		}
		return names, banner
	}
	names, banner := entered("mine", uuid.Nil)
	require.Equal(t, []string{"expired", "mine"}, names)
	require.Zero(t, banner.OpenAlerts)
	require.Positive(t, banner.Version, "read under the organization's scope")
	_, byID := entered("", mine)
	require.Equal(t, banner, byID)
	for _, refused := range []struct {
		slug string
		id   uuid.UUID
	}{{"expired", uuid.Nil}, {"foreign", uuid.Nil}, {"", foreign}, {"", expired}, {"", uuid.Nil}} {
		_, banner := entered(refused.slug, refused.id)
		require.Nil(t, banner, "%+v", refused)
	}
}
