package syncer_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/connector/connectortest"
	"github.com/attesthq/attest/internal/syncer"
	"github.com/attesthq/attest/internal/synctest"
)

// The platform's rules, proven on the fake connector: none of these depend
// on one provider.

func fakeEnv(t *testing.T) (*synctest.Env, *connectortest.Connector) {
	t.Helper()
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	fake := connectortest.New(
		connectortest.Account{ID: "a1", Name: "ada@fake.test", MFA: true, LastActive: start.AddDate(0, 0, -2)},
		connectortest.Account{ID: "a2", Name: "bob@fake.test", MFA: false, LastActive: start.AddDate(0, 0, -45)},
		connectortest.Account{ID: "a3", Name: "cy@fake.test", MFA: true, LastActive: start.AddDate(0, 0, -10)},
	)
	return synctest.New(t, synctest.Options{Fake: fake, Start: start}), fake
}

func TestPlatformSyncsAFakeConnectorAndStoresItsEvidence(t *testing.T) {
	t.Parallel()
	e, _ := fakeEnv(t)
	conn := e.ConnectFake(t, "acme")
	out, err := e.Sync(t, conn)
	require.NoError(t, err)
	require.Equal(t, syncer.StatusSucceeded, out.Status, out.Error)
	require.Equal(t, 3, currentRows(t, e, connectortest.KindAccount))
	require.Equal(t, 1, currentRows(t, e, connectortest.KindAccountsSummary))
	require.Equal(t, connector.CheckFail, check(t, out, connectortest.CheckMFA).Status)
	require.Equal(t, connector.CheckPass, check(t, out, connectortest.CheckAudit).Status)
	// Records carry the schema version the definition declares.
	require.Equal(t, 2, e.Count(t, `SELECT count(*) FROM evidence WHERE kind = $1 AND schema_version = $2`,
		connectortest.KindAuditEvent, connectortest.AuditSchemaVersion))
	// An unchanged resync adds nothing.
	e.Clock.Advance(time.Hour)
	out, err = e.Sync(t, conn)
	require.NoError(t, err)
	require.Zero(t, out.NewRows)
}

// TestPlatformNeverEvaluatesACheckWhoseDatasetWasNotRead: the fake's audit
// check passes whenever it is evaluated; with its dataset unavailable the
// platform records it unknown, and the run is partial, not failed.
func TestPlatformNeverEvaluatesACheckWhoseDatasetWasNotRead(t *testing.T) {
	t.Parallel()
	e, fake := fakeEnv(t)
	conn := e.ConnectFake(t, "acme")
	fake.Inject(connectortest.DatasetAudit, connectortest.FaultLicence)
	out, err := e.Sync(t, conn)
	require.NoError(t, err, "a licence gap is not worth a retry")
	require.Equal(t, syncer.StatusPartial, out.Status)
	require.Equal(t, connector.ErrorLicence, out.ErrorClass)
	require.Equal(t, connector.DatasetUnavailable, dataset(t, out, connectortest.DatasetAudit).Status)
	audit := check(t, out, connectortest.CheckAudit)
	require.Equal(t, connector.CheckUnknown, audit.Status)
	require.Contains(t, audit.Reason, "Audit events is not included in this directory's licence or plan")
	require.NotEqual(t, connector.CheckUnknown, check(t, out, connectortest.CheckMFA).Status, "checks of the datasets read are evaluated")
}

func TestPlatformThrottledDatasetFailsAloneAndIsRetried(t *testing.T) {
	t.Parallel()
	e, fake := fakeEnv(t)
	conn := e.ConnectFake(t, "acme")
	fake.Inject(connectortest.DatasetAccounts, connectortest.FaultThrottled)
	out, err := e.Sync(t, conn)
	require.NoError(t, err, "one dataset failed, the other was read: partial")
	require.Equal(t, syncer.StatusPartial, out.Status)
	require.Equal(t, connector.ErrorThrottled, out.ErrorClass)
	d := dataset(t, out, connectortest.DatasetAccounts)
	require.Equal(t, connector.DatasetFailed, d.Status)
	require.Equal(t, 4, d.Throttled)
	require.Equal(t, connector.CheckUnknown, check(t, out, connectortest.CheckMFA).Status)
	require.Equal(t, connector.CheckUnknown, check(t, out, connectortest.CheckIdle).Status)
	require.Equal(t, 4, e.Count(t, `SELECT throttled FROM connector_runs WHERE id = $1`, out.RunID))
}

func TestPlatformMalformedPageLandsNothingOfItsDataset(t *testing.T) {
	t.Parallel()
	e, fake := fakeEnv(t)
	conn := e.ConnectFake(t, "acme")
	fake.Inject(connectortest.DatasetAccounts, connectortest.FaultMalformed)
	out, err := e.Sync(t, conn)
	require.NoError(t, err)
	require.Equal(t, connector.ErrorMalformed, dataset(t, out, connectortest.DatasetAccounts).ErrorClass)
	require.Zero(t, evidenceRows(t, e, connectortest.KindAccount), "the first page was written, then rolled back")
	require.Equal(t, 2, currentRows(t, e, connectortest.KindAuditEvent))
}

func TestPlatformRevokedCredentialsNeedReauthorization(t *testing.T) {
	t.Parallel()
	e, fake := fakeEnv(t)
	conn := e.ConnectFake(t, "acme")
	fake.Revoke()
	_, err := e.Sync(t, conn)
	require.True(t, connector.IsNeedsReauth(err), "%v", err)
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM connections WHERE id = $1 AND status = $2`, conn, string(connector.StatusNeedsReauth)))
	_, err = e.Sync(t, conn)
	require.ErrorIs(t, err, syncer.ErrNotSyncable, "no sync runs until someone re-authorizes")
}

// TestPlatformPersistsRotatedCredentialsBeforeTheSyncGoesOn: each sync
// opens with the token the previous one rotated to.
func TestPlatformPersistsRotatedCredentialsBeforeTheSyncGoesOn(t *testing.T) {
	t.Parallel()
	e, fake := fakeEnv(t)
	conn := e.ConnectFake(t, "acme")
	fake.RotateEverySync()
	for range 3 {
		_, err := e.Sync(t, conn)
		require.NoError(t, err)
	}
	require.Equal(t, []string{"", "rotated-1", "rotated-2"}, fake.TokensSeen())
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM connections WHERE id = $1 AND token_rotated_at IS NOT NULL`, conn))
}

// TestCheckParameterIsTheConnectionsAndValidatedAgainstItsDeclaration: the
// idle check reads the connection's value of the parameter it declares; a
// value outside the declared range is refused.
func TestCheckParameterIsTheConnectionsAndValidatedAgainstItsDeclaration(t *testing.T) {
	t.Parallel()
	e, _ := fakeEnv(t)
	conn := e.ConnectFake(t, "acme")
	out, err := e.Sync(t, conn)
	require.NoError(t, err)
	idle := check(t, out, connectortest.CheckIdle)
	require.Equal(t, connector.CheckFail, idle.Status, "bob was last active 45 days ago; the default is 30")
	require.Len(t, idle.Failing, 1)

	ctx := context.Background()
	require.NoError(t, e.Services.SetThresholds(ctx, e.Org.ID, e.User(), conn, 6*time.Hour, connector.Params{"idle_days": 60}))
	e.Clock.Advance(time.Hour)
	out, err = e.Sync(t, conn)
	require.NoError(t, err)
	require.Equal(t, connector.CheckPass, check(t, out, connectortest.CheckIdle).Status)

	var perr *connector.ParamError
	err = e.Services.SetThresholds(ctx, e.Org.ID, e.User(), conn, 6*time.Hour, connector.Params{"idle_days": 366})
	require.ErrorAs(t, err, &perr)
	require.Equal(t, "idle_days", perr.Param.Key)
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM connections WHERE id = $1 AND check_params = '{"idle_days": 60}'`, conn))
}

func TestOneConnectionNeverSyncsTwiceAtOnce(t *testing.T) {
	t.Parallel()
	e, fake := fakeEnv(t)
	conn := e.ConnectFake(t, "acme")
	// The first sync holds its lock while its audit read hangs; the second
	// starts once that read has begun.
	reached, release := fake.Hold(connectortest.DatasetAudit)
	first := make(chan error, 1)
	go func() {
		_, err := e.Sync(t, conn)
		first <- err
	}()
	<-reached
	_, err := e.Sync(t, conn)
	require.ErrorIs(t, err, syncer.ErrBusy)
	release()
	require.NoError(t, <-first)
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM connector_runs`))
}

func TestCancelledSyncRerunsToConsistentEvidence(t *testing.T) {
	t.Parallel()
	e, fake := fakeEnv(t)
	conn := e.ConnectFake(t, "acme")
	// The accounts read hangs; the sync is cancelled once it is waiting on it.
	reached, release := fake.Hold(connectortest.DatasetAccounts)
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-reached
		cancel()
	}()
	out, err := e.Syncer.Run(ctx, syncer.Request{OrgID: e.Org.ID, ConnectionID: conn, Trigger: syncer.TriggerManual})
	require.Error(t, err)
	require.Equal(t, syncer.StatusFailed, out.Status)
	require.Zero(t, e.Count(t, `SELECT count(*) FROM evidence`), "a cancelled sync lands nothing")
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM connector_runs WHERE status = 'failed'`))

	out, err = e.Sync(t, conn)
	require.NoError(t, err)
	require.Equal(t, syncer.StatusSucceeded, out.Status)
	require.Equal(t, 3, currentRows(t, e, connectortest.KindAccount))
	require.Equal(t, e.Count(t, `SELECT count(*) FROM evidence`), e.Count(t, `SELECT count(*) FROM evidence_current`))
}
