package syncer_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/syncer"
	"github.com/attesthq/attest/internal/synctest"
)

// storedDigest is the MD5 of everything a connection's syncs stored that
// does not depend on generated ids: every evidence row (payload and
// fingerprint included), the current state, the superseded log, the check
// results and their failing subjects, each in a fixed order.
func storedDigest(t *testing.T, e *synctest.Env, conn uuid.UUID) string {
	t.Helper()
	ctx := context.Background()
	var digest string
	require.NoError(t, db.InOrg(ctx, e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT md5(concat_ws('|',
		(SELECT string_agg(concat_ws(',', kind, schema_version, subject_key, subject_label, payload::text, encode(fingerprint, 'hex'),
			observed_at, collected_at), E'\n' ORDER BY kind, subject_key, fingerprint) FROM evidence WHERE connection_id = $1),
		(SELECT string_agg(concat_ws(',', kind, subject_key, encode(fingerprint, 'hex')), E'\n' ORDER BY kind, subject_key)
			FROM evidence_current WHERE connection_id = $1),
		(SELECT string_agg(concat_ws(',', s.kind, s.subject_key, s.reason, encode(ev.fingerprint, 'hex'), s.at), E'\n' ORDER BY s.kind, s.subject_key, s.at, ev.fingerprint)
			FROM evidence_superseded s JOIN evidence ev ON ev.id = s.evidence_id WHERE s.connection_id = $1),
		(SELECT string_agg(concat_ws(',', check_key, status, reason, subjects_total, subjects_failing, subjects_excluded,
			encode(failing_digest, 'hex'), evaluated_at), E'\n' ORDER BY evaluated_at, check_key) FROM check_results WHERE connection_id = $1),
		(SELECT string_agg(concat_ws(',', check_key, subject_key, subject_label, detail, since), E'\n' ORDER BY check_key, subject_key)
			FROM check_failures WHERE connection_id = $1)))`, conn).Scan(&digest)
	}))
	return digest
}

// TestSyncStoresPinnedEvidence pins what a first sync, an unchanged resync
// and a resync with a changed, a deleted and an added user store for a
// fixed tenant: the writer's and the checks' internals may change for speed
// or memory, the stored rows (payloads, fingerprints, failing subjects) may
// not. The digests were taken before the sync's memory work of issue 19.
func TestSyncStoresPinnedEvidence(t *testing.T) {
	t.Parallel()
	spec := entrasim.DefaultTenant()
	spec.Size.Users = 600
	e := synctest.New(t, synctest.Options{Tenant: spec})
	conn := e.Connect(t)
	sync := func() {
		t.Helper()
		out, err := e.Sync(t, conn)
		require.NoError(t, err)
		require.Equal(t, syncer.StatusSucceeded, out.Status, out.Error)
	}
	sync()
	require.Equal(t, "6626bfdd79cd1a64934b1b6ce51bdf3e", storedDigest(t, e, conn), "first sync")

	e.Clock.Advance(time.Hour)
	sync()
	require.Equal(t, "e1d9c022eb40b7685f38854328322941", storedDigest(t, e, conn), "unchanged resync")

	users := e.Tenant().Users()
	require.NoError(t, e.Tenant().UpdateUser(users[3].ID, func(u *entrasim.User) { u.DisplayName = "Renamed Person" }))
	require.NoError(t, e.Tenant().DeleteUser(users[4].ID))
	added := users[5]
	added.ID, added.UserPrincipalName, added.DisplayName = "", "added@"+e.Tenant().Domain(), "Added Person"
	e.Tenant().AddUser(added)
	e.Clock.Advance(time.Hour)
	sync()
	require.Equal(t, "741812be0e67894728f5708cbd266d67", storedDigest(t, e, conn), "resync after changes")
}
