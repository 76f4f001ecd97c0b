package rotation_test

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/keyring"
	"github.com/attesthq/attest/internal/rotation"
)

func TestRotateRewrapsEveryOrganizationAndTheOldKeyCanGo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, 3)
	a, keyB := localKey(t, b.keyFile), newLocalKey(t)
	empty, err := b.orgs[0].env.Accounts.CreateOrg(ctx, "Not connected yet", "", audit.SystemActor("test"))
	require.NoError(t, err)
	before := map[uuid.UUID][][]byte{}
	for _, o := range b.orgs {
		before[o.env.Org.ID] = b.credentials(t, o.env.Org.ID)
		require.Len(t, before[o.env.Org.ID], 3, "a client secret, a refresh token and the connect flow's verifier")
	}

	// Without rotating, the new key alone cannot open anything.
	b.orgs[0].env.Vault.Keyring = keyring.New(keyB)
	_, err = b.orgs[0].env.Sync(t, b.orgs[0].conn)
	require.ErrorIs(t, err, keyring.ErrUnknownWrapper)

	sum, err := b.service(keyring.New(keyB, a)).RewrapAll(ctx, actor)
	require.NoError(t, err)
	requireSummary(t, sum, map[rotation.Outcome]int{rotation.Rewrapped: 3, rotation.NoDataKey: 1})
	rewrapped := map[uuid.UUID][]byte{}
	for _, o := range b.orgs {
		id := o.env.Org.ID
		rewrapped[id] = b.dataKey(t, id)
		require.Equal(t, keyB.ID(), keyring.WrappedBy(rewrapped[id]))
		require.Equal(t, before[id], b.credentials(t, id), "rewrapping re-encrypts no credential")
		require.Equal(t, []map[string]any{{"from_key": a.ID(), "to_key": keyB.ID()}}, b.auditDetails(t, id, "keys.rewrap"),
			"audited with key ids only")
	}
	for _, r := range sum.Orgs {
		if r.OrgID == empty.ID {
			require.Equal(t, rotation.NoDataKey, r.Outcome)
			continue
		}
		require.Equal(t, rotation.Rewrapped, r.Outcome)
		require.Equal(t, a.ID(), r.From)
		require.Equal(t, keyB.ID(), r.To)
	}
	require.Nil(t, b.dataKey(t, empty.ID))

	// A second run changes nothing.
	sum, err = b.service(keyring.New(keyB, a)).RewrapAll(ctx, actor)
	require.NoError(t, err)
	requireSummary(t, sum, map[rotation.Outcome]int{rotation.Current: 3, rotation.NoDataKey: 1})
	for _, o := range b.orgs {
		require.Equal(t, rewrapped[o.env.Org.ID], b.dataKey(t, o.env.Org.ID))
		require.Len(t, b.auditDetails(t, o.env.Org.ID, "keys.rewrap"), 1)
	}

	// The old key file is deleted; every connection syncs with the new key alone.
	require.NoError(t, os.Remove(b.keyFile))
	onlyB := keyring.New(keyB)
	for _, o := range b.orgs {
		o.sync(t, onlyB)
	}
}

// cancelOnWrap cancels a context on its nth Wrap, as if the operator pressed
// Ctrl-C (or the process died) in the middle of a rotation.
type cancelOnWrap struct {
	keyring.Wrapper
	wraps  atomic.Int32
	nth    int32
	cancel context.CancelFunc
}

func (w *cancelOnWrap) Wrap(ctx context.Context, orgID uuid.UUID, plaintext []byte) ([]byte, error) {
	if w.wraps.Add(1) == w.nth {
		w.cancel()
	}
	return w.Wrapper.Wrap(ctx, orgID, plaintext)
}

func TestRotateFinishesWhenRunAgainAfterAnInterruption(t *testing.T) {
	t.Parallel()
	b := setup(t, 3)
	a, keyB := localKey(t, b.keyFile), newLocalKey(t)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	interrupting := &cancelOnWrap{Wrapper: keyB, nth: 2, cancel: cancel}
	sum, err := b.service(keyring.New(interrupting, a)).RewrapAll(ctx, actor)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorContains(t, err, "interrupted at organization 2 of 3; run it again to finish")
	requireSummary(t, sum, map[rotation.Outcome]int{rotation.Rewrapped: 1, rotation.Failed: 1})
	require.ErrorIs(t, sum.Orgs[1].Err, context.Canceled)

	// The organization in progress rolled back; the one after was not touched.
	owners := map[string]int{}
	for _, o := range b.orgs {
		owners[keyring.WrappedBy(b.dataKey(t, o.env.Org.ID))]++
	}
	require.Equal(t, map[string]int{keyB.ID(): 1, a.ID(): 2}, owners)
	// Mid-rotation, a server with both keys serves everyone.
	for _, o := range b.orgs {
		o.sync(t, keyring.New(keyB, a))
	}

	sum, err = b.service(keyring.New(keyB, a)).RewrapAll(context.Background(), actor)
	require.NoError(t, err)
	requireSummary(t, sum, map[rotation.Outcome]int{rotation.Rewrapped: 2, rotation.Current: 1})
	onlyB := keyring.New(keyB)
	for _, o := range b.orgs {
		require.Len(t, b.auditDetails(t, o.env.Org.ID, "keys.rewrap"), 1, "each organization rewrapped and audited once")
		o.sync(t, onlyB)
	}
}

func TestRotateReportsAnOrganizationItCannotUnwrapAndLosesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t, 2)
	a, keyB := localKey(t, b.keyFile), newLocalKey(t)
	// One organization's data key is under a key the operator forgot to configure.
	forgottenFile := filepath.Join(t.TempDir(), "forgotten.key")
	stray := b.addOrg(t, forgottenFile)
	forgotten := localKey(t, forgottenFile)
	strayKey := b.dataKey(t, stray.env.Org.ID)

	sum, err := b.service(keyring.New(keyB, a)).RewrapAll(context.Background(), actor)
	require.NoError(t, err, "one organization's failure does not stop the others")
	requireSummary(t, sum, map[rotation.Outcome]int{rotation.Rewrapped: 2, rotation.Failed: 1})
	for _, r := range sum.Orgs {
		if r.OrgID != stray.env.Org.ID {
			continue
		}
		require.Equal(t, rotation.Failed, r.Outcome)
		require.Equal(t, forgotten.ID(), r.From, "the failure names the missing key")
		require.ErrorIs(t, r.Err, keyring.ErrUnknownWrapper)
		require.ErrorContains(t, r.Err, "rotation: rewrap data key: keyring:")
	}
	require.Equal(t, strayKey, b.dataKey(t, stray.env.Org.ID), "the failed organization is untouched")
	require.Empty(t, b.auditDetails(t, stray.env.Org.ID, "keys.rewrap"))
	stray.sync(t, keyring.New(keyB, a, forgotten))

	// With the forgotten key configured as a previous key, a rerun finishes.
	sum, err = b.service(keyring.New(keyB, a, forgotten)).RewrapAll(context.Background(), actor)
	require.NoError(t, err)
	requireSummary(t, sum, map[rotation.Outcome]int{rotation.Rewrapped: 1, rotation.Current: 2})
	onlyB := keyring.New(keyB)
	for _, o := range b.orgs {
		o.sync(t, onlyB)
	}
}
