package syncer_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/syncer"
	"github.com/attesthq/attest/internal/synctest"
)

func evidenceRows(t *testing.T, e *synctest.Env, kind string) int {
	return e.Count(t, `SELECT count(*) FROM evidence WHERE kind = $1`, kind)
}

func currentRows(t *testing.T, e *synctest.Env, kind string) int {
	return e.Count(t, `SELECT count(*) FROM evidence_current WHERE kind = $1`, kind)
}

func dataset(t *testing.T, out syncer.Outcome, key string) syncer.DatasetOutcome {
	t.Helper()
	for _, d := range out.Datasets {
		if d.Dataset == key {
			return d
		}
	}
	t.Fatalf("no dataset %s", key)
	return syncer.DatasetOutcome{}
}

func check(t *testing.T, out syncer.Outcome, key string) connector.CheckResult {
	t.Helper()
	for _, c := range out.Checks {
		if c.Key == key {
			return c
		}
	}
	t.Fatalf("no check %s", key)
	return connector.CheckResult{}
}

func TestFirstSyncAndUnchangedResync(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	conn := e.Connect(t)
	users := len(e.Tenant().Users())

	out, err := e.Sync(t, conn)
	require.NoError(t, err)
	require.Equal(t, syncer.StatusSucceeded, out.Status, out.Error)
	require.Equal(t, users, evidenceRows(t, e, entra.KindUser))
	require.Equal(t, users, currentRows(t, e, entra.KindUser))
	require.Equal(t, len(e.Tenant().RegistrationDetails()), currentRows(t, e, entra.KindMFARegistration))
	require.Equal(t, len(e.Tenant().Policies()), currentRows(t, e, entra.KindCAPolicy))
	require.Equal(t, len(e.Tenant().RiskyUsers()), currentRows(t, e, entra.KindRiskyUser))
	require.Positive(t, currentRows(t, e, entra.KindRiskySignIn))
	for _, kind := range []string{entra.KindUsersSummary, entra.KindMFASummary, entra.KindCASummary, entra.KindRiskyUserSummary, entra.KindRiskySignInSummary} {
		require.Equal(t, 1, currentRows(t, e, kind), kind)
	}
	require.Equal(t, users, dataset(t, out, entra.DatasetUsers).New-1) // plus the summary
	total := e.Count(t, `SELECT count(*) FROM evidence`)

	// Nothing changed: no new row at all.
	e.Clock.Advance(time.Hour)
	out, err = e.Sync(t, conn)
	require.NoError(t, err)
	require.Equal(t, syncer.StatusSucceeded, out.Status)
	require.Equal(t, total, e.Count(t, `SELECT count(*) FROM evidence`))
	require.Zero(t, out.NewRows)
	require.Equal(t, users+1, dataset(t, out, entra.DatasetUsers).Unchanged)
	require.Equal(t, 2, e.Count(t, `SELECT count(*) FROM connector_runs WHERE status = 'succeeded'`))
	require.Equal(t, 2, e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'connection.sync'`))

	// Every check was evaluated, none unknown on a P2 tenant.
	for _, c := range out.Checks {
		require.NotEqual(t, connector.CheckUnknown, c.Status, c.Key)
	}
}

func TestChangedUserAddsExactlyOneRowAndDeletedUserLeavesCurrentState(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	conn := e.Connect(t)
	_, err := e.Sync(t, conn)
	require.NoError(t, err)
	before := evidenceRows(t, e, entra.KindUser)

	users := e.Tenant().Users()
	changed, deleted := users[3], users[4]
	require.NoError(t, e.Tenant().UpdateUser(changed.ID, func(u *entrasim.User) { u.DisplayName = "Renamed Person" }))
	require.NoError(t, e.Tenant().DeleteUser(deleted.ID))
	e.Clock.Advance(time.Hour)
	out, err := e.Sync(t, conn)
	require.NoError(t, err)

	require.Equal(t, before+1, evidenceRows(t, e, entra.KindUser), "exactly one new user row")
	d := dataset(t, out, entra.DatasetUsers)
	require.Equal(t, 2, d.Changed, "the renamed user and the inventory summary")
	require.Equal(t, 1, d.Removed)
	require.Equal(t, len(users)-1, currentRows(t, e, entra.KindUser))
	require.Zero(t, e.Count(t, `SELECT count(*) FROM evidence_current WHERE kind = $1 AND subject_key = $2`, entra.KindUser, deleted.ID))
	// History is kept: the deleted user's record is still evidence, marked removed.
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM evidence WHERE kind = $1 AND subject_key = $2`, entra.KindUser, deleted.ID))
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM evidence_superseded s JOIN evidence ev ON ev.id = s.evidence_id
		WHERE s.reason = 'removed' AND ev.kind = $1 AND ev.subject_key = $2`, entra.KindUser, deleted.ID))
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM evidence_current c JOIN evidence ev ON ev.id = c.evidence_id
		WHERE c.kind = $2 AND c.subject_key = $1 AND ev.payload->>'display_name' = 'Renamed Person'`, changed.ID, entra.KindUser))
}

func TestSignInDayNormalizationMakesNoRowForASameDaySignIn(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	conn := e.Connect(t)
	_, err := e.Sync(t, conn)
	require.NoError(t, err)
	before := evidenceRows(t, e, entra.KindUser)
	// A user signs in again the same day: the normalized record is unchanged.
	var target entrasim.User
	for _, u := range e.Tenant().Users() {
		if u.SignInActivity != nil && u.SignInActivity.LastSignInDateTime != nil {
			target = u
			break
		}
	}
	later := target.SignInActivity.LastSignInDateTime.Add(time.Minute)
	if later.YearDay() != target.SignInActivity.LastSignInDateTime.YearDay() {
		later = target.SignInActivity.LastSignInDateTime.Add(-time.Minute)
	}
	require.NoError(t, e.Tenant().UpdateUser(target.ID, func(u *entrasim.User) { u.SignInActivity.LastSignInDateTime = &later }))
	_, err = e.Sync(t, conn)
	require.NoError(t, err)
	require.Equal(t, before, evidenceRows(t, e, entra.KindUser))
}

func TestThrottlingOutagesAndSlowPagesAreSurvived(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	conn := e.Connect(t)
	tn := e.Tenant()
	tn.InjectFault(entrasim.Fault{Dataset: entrasim.DatasetUsers, Status: 429, RetryAfter: "0.05", Times: 2})
	tn.InjectFault(entrasim.Fault{Dataset: entrasim.DatasetPolicies, Status: 429, Times: 2})
	tn.InjectFault(entrasim.Fault{Dataset: entrasim.DatasetRegistrations, Status: 503, Times: 3})
	tn.InjectFault(entrasim.Fault{Dataset: entrasim.DatasetRiskyUsers, Status: 504, Times: 1})
	tn.InjectFault(entrasim.Fault{Dataset: entrasim.DatasetSignIns, Delay: 300 * time.Millisecond, Times: 1})
	out, err := e.Sync(t, conn)
	require.NoError(t, err)
	require.Equal(t, syncer.StatusSucceeded, out.Status, out.Error)
	require.Equal(t, len(tn.Users()), currentRows(t, e, entra.KindUser))
	require.Equal(t, len(tn.RegistrationDetails()), currentRows(t, e, entra.KindMFARegistration))
	require.Equal(t, len(tn.Policies()), currentRows(t, e, entra.KindCAPolicy))
	require.Equal(t, 2, dataset(t, out, entra.DatasetUsers).Throttled)
	require.Equal(t, 3, dataset(t, out, entra.DatasetRegistrations).Retries)
	stats := tn.Stats()
	require.Equal(t, 4, stats.Families[entrasim.FamilyProtection].TooManyRequests+stats.Families[entrasim.FamilyReports].TooManyRequests+stats.Families[entrasim.FamilyDirectory].TooManyRequests)
}

func TestMalformedPageFailsOnlyItsDatasetWithNoPartialRows(t *testing.T) {
	t.Parallel()
	spec := entrasim.DefaultTenant()
	spec.Size.Users = 1200 // three pages of users
	e := synctest.New(t, synctest.Options{Tenant: spec})
	conn := e.Connect(t)
	e.Tenant().InjectFault(entrasim.Fault{Dataset: entrasim.DatasetUsers, Malformed: true, Times: 1, Page: 1})
	out, err := e.Sync(t, conn)
	require.NoError(t, err)
	require.Equal(t, syncer.StatusPartial, out.Status)
	users := dataset(t, out, entra.DatasetUsers)
	require.Equal(t, connector.DatasetFailed, users.Status)
	require.Equal(t, connector.ErrorMalformed, users.ErrorClass)
	require.Contains(t, users.Error, "not valid JSON")
	require.Zero(t, evidenceRows(t, e, entra.KindUser), "the first page must not survive the failed second")
	require.Positive(t, currentRows(t, e, entra.KindMFARegistration))
	require.Equal(t, connector.CheckUnknown, check(t, out, entra.CheckMFAMembers).Status)
	require.Equal(t, connector.CheckUnknown, check(t, out, entra.CheckInactive).Status)
	require.NotEqual(t, connector.CheckUnknown, check(t, out, entra.CheckMFAAdmins).Status)
}

func TestRevokedGrantNeedsReauthorizationWithoutRetry(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	conn := e.Connect(t)
	e.Tenant().RevokeGrants()
	out, err := e.Sync(t, conn)
	require.True(t, connector.IsNeedsReauth(err), "%v", err)
	require.Equal(t, syncer.StatusFailed, out.Status)
	require.Equal(t, connector.ErrorNeedsReauth, out.ErrorClass)
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM connections WHERE id = $1 AND status = 'needs_reauth'`, conn))
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'connection.sync_failed' AND details->>'needs_reauth' = 'true'`))
	// The next attempt does nothing until someone re-authorizes.
	_, err = e.Sync(t, conn)
	require.ErrorIs(t, err, syncer.ErrNotSyncable)
}

func TestUnlicensedTenantGivesUnknownChecksAndAPartialRun(t *testing.T) {
	t.Parallel()
	spec := entrasim.DefaultTenant()
	spec.Licence = entrasim.LicenceFree
	e := synctest.New(t, synctest.Options{Tenant: spec})
	conn := e.Connect(t)
	out, err := e.Sync(t, conn)
	require.NoError(t, err)
	require.Equal(t, syncer.StatusPartial, out.Status)
	require.Equal(t, connector.ErrorLicence, out.ErrorClass)
	require.Equal(t, connector.DatasetOK, dataset(t, out, entra.DatasetUsers).Status, "users are read without sign-in activity")
	for _, key := range []string{entra.DatasetRegistrations, entra.DatasetPolicies, entra.DatasetRiskyUsers, entra.DatasetRiskySignIns} {
		d := dataset(t, out, key)
		require.Equal(t, connector.DatasetUnavailable, d.Status, key)
		require.Equal(t, connector.ErrorLicence, d.ErrorClass, key)
	}
	for _, c := range out.Checks {
		require.Equal(t, connector.CheckUnknown, c.Status, c.Key)
		require.NotEmpty(t, c.Reason)
	}
	require.Contains(t, check(t, out, entra.CheckInactive).Reason, "P1 or P2")
	require.Equal(t, len(e.Tenant().Users()), currentRows(t, e, entra.KindUser))
}

func TestRotatedRefreshTokenIsSavedAndUnauthorizedRefreshesOnce(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	conn := e.Connect(t)
	before := e.Count(t, `SELECT extract(epoch FROM token_rotated_at)::int FROM connections WHERE id = $1`, conn)
	e.Clock.Advance(2 * time.Hour)
	e.Tenant().InjectFault(entrasim.Fault{Dataset: entrasim.DatasetPolicies, Status: 401, Times: 1})
	out, err := e.Sync(t, conn)
	require.NoError(t, err)
	require.Equal(t, syncer.StatusSucceeded, out.Status, out.Error)
	after := e.Count(t, `SELECT extract(epoch FROM token_rotated_at)::int FROM connections WHERE id = $1`, conn)
	require.Greater(t, after, before, "the rotated refresh token was saved")
	// The token response count: one for connect, one at sync start, one after the 401.
	tokens := e.Tenant().Stats().Families[entrasim.FamilyLogin].Requests
	require.Equal(t, 3, tokens)
}
