package syncer_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/synctest"
)

// storedFailure is one row of check_failures with where it sits: a row
// rewritten or merely locked by a statement moves or gets an xmax.
type storedFailure struct {
	label, detail string
	since         time.Time
	place         string
	untouched     bool
}

func storedFailures(t *testing.T, e *synctest.Env, check string) map[string]storedFailure {
	t.Helper()
	out := map[string]storedFailure{}
	ctx := context.Background()
	require.NoError(t, db.InOrg(ctx, e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT subject_key, subject_label, detail, since, ctid::text || '/' || xmin::text, xmax = 0
			FROM check_failures WHERE check_key = $1`, check)
		if err != nil {
			return err
		}
		for rows.Next() {
			var key string
			var f storedFailure
			if err := rows.Scan(&key, &f.label, &f.detail, &f.since, &f.place, &f.untouched); err != nil {
				return err
			}
			out[key] = f
		}
		return rows.Err()
	}))
	return out
}

// A resync writes only the difference in a check's failing subjects: a
// subject that starts failing is added, failing since the resync; one that
// stops is removed; one whose label changed is updated and keeps its
// "since"; every other row is not written, nor even locked.
func TestResyncWritesOnlyTheChangedFailingSubjects(t *testing.T) {
	t.Parallel()
	spec := entrasim.DefaultTenant()
	spec.Size.Users = 300
	e := synctest.New(t, synctest.Options{Tenant: spec})
	conn := e.Connect(t)
	_, err := e.Sync(t, conn)
	require.NoError(t, err)
	before := storedFailures(t, e, entra.CheckInactive)
	require.Greater(t, len(before), 3, "the tenant needs inactive accounts")

	var starts, stops, renamed string
	longAgo, recently := e.Clock.Now().AddDate(-1, 0, 0), e.Clock.Now().Add(-time.Hour)
	for _, u := range e.Tenant().Users() {
		_, failing := before[u.ID]
		switch {
		case !failing && starts == "" && u.AccountEnabled && u.SignInActivity != nil:
			starts = u.ID
			require.NoError(t, e.Tenant().UpdateUser(u.ID, func(u *entrasim.User) {
				u.SignInActivity.LastSignInDateTime, u.SignInActivity.LastNonInteractiveSignInDateTime = &longAgo, &longAgo
				u.SignInActivity.LastSuccessfulSignInDateTime = &longAgo
			}))
		case failing && stops == "" && u.SignInActivity != nil:
			stops = u.ID
			require.NoError(t, e.Tenant().UpdateUser(u.ID, func(u *entrasim.User) {
				u.SignInActivity.LastSignInDateTime, u.SignInActivity.LastSuccessfulSignInDateTime = &recently, &recently
			}))
		case failing && renamed == "":
			renamed = u.ID
			require.NoError(t, e.Tenant().UpdateUser(u.ID, func(u *entrasim.User) { u.UserPrincipalName = "renamed.person@" + e.Tenant().Domain() }))
		}
	}
	require.NotEmpty(t, starts)
	require.NotEmpty(t, stops)
	require.NotEmpty(t, renamed)

	e.Clock.Advance(time.Minute)
	_, err = e.Sync(t, conn)
	require.NoError(t, err)
	after := storedFailures(t, e, entra.CheckInactive)

	require.Contains(t, after, starts)
	require.True(t, after[starts].since.Equal(e.Clock.Now()), "a new failure is failing since the resync")
	require.NotContains(t, after, stops)
	require.Equal(t, "renamed.person@"+e.Tenant().Domain(), after[renamed].label)
	require.True(t, after[renamed].since.Equal(before[renamed].since), "a renamed subject keeps its since")
	require.Len(t, after, len(before))
	for key, f := range before {
		if key == stops || key == renamed {
			continue
		}
		require.Equal(t, f.place, after[key].place, "subject %s did not change and was rewritten", key)
		require.True(t, after[key].untouched, "subject %s did not change and was locked", key)
	}
}
