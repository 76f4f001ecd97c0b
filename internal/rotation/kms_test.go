package rotation_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/keyring"
	"github.com/attesthq/attest/internal/keyring/kmstest"
	"github.com/attesthq/attest/internal/rotation"
)

func TestRotateFromALocalKeyToKMSAndBetweenKMSKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, 2)
	a := localKey(t, b.keyFile)
	lk := kmstest.New(t)
	first, err := keyring.NewKMSWrapper(lk.Client, lk.KeyID)
	require.NoError(t, err)

	sum, err := b.service(keyring.New(first, a)).RewrapAll(ctx, actor)
	require.NoError(t, err)
	requireSummary(t, sum, map[rotation.Outcome]int{rotation.Rewrapped: 2})
	for _, o := range b.orgs {
		require.Equal(t, first.ID(), keyring.WrappedBy(b.dataKey(t, o.env.Org.ID)))
		o.sync(t, keyring.New(first))
	}

	second, err := keyring.NewKMSWrapper(lk.Client, lk.CreateKey(t))
	require.NoError(t, err)
	sum, err = b.service(keyring.New(second, first)).RewrapAll(ctx, actor)
	require.NoError(t, err)
	requireSummary(t, sum, map[rotation.Outcome]int{rotation.Rewrapped: 2})
	for _, o := range b.orgs {
		require.Equal(t, []map[string]any{{"from_key": a.ID(), "to_key": first.ID()}, {"from_key": first.ID(), "to_key": second.ID()}},
			b.auditDetails(t, o.env.Org.ID, "keys.rewrap"))
		o.sync(t, keyring.New(second))
	}
}
