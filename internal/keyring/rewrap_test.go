package keyring

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/keyring/kmstest"
)

func TestWrappedByNamesTheWrappingKey(t *testing.T) {
	t.Parallel()

	lk := kmstest.New(t)
	kmsWrapper, err := NewKMSWrapper(lk.Client, lk.KeyID)
	require.NoError(t, err)
	local := newTestLocalWrapper(t)
	orgID := uuid.New()
	for _, w := range []Wrapper{local, kmsWrapper} {
		_, wrapped, err := w.GenerateDataKey(t.Context(), orgID)
		require.NoError(t, err)
		require.Equal(t, w.ID(), WrappedBy(wrapped))
	}
	// The blob's key need not be configured anywhere.
	_, wrapped, err := newTestLocalWrapper(t).GenerateDataKey(t.Context(), orgID)
	require.NoError(t, err)
	require.Regexp(t, `^local:[0-9a-f]{16}$`, WrappedBy(wrapped))
	require.NotEqual(t, local.ID(), WrappedBy(wrapped))
	for _, junk := range [][]byte{nil, []byte("atl1"), []byte("atk1"), []byte("not a wrapped key")} {
		require.Empty(t, WrappedBy(junk), "%q", junk)
	}
}

// noUnwrap wraps but cannot unwrap, like a KMS key whose policy allows
// Encrypt and not Decrypt.
type noUnwrap struct{ Wrapper }

func (noUnwrap) Unwrap(context.Context, uuid.UUID, []byte) ([]byte, error) {
	return nil, errors.New("keyring: AccessDeniedException: not authorized to perform kms:Decrypt")
}

func TestRewrapRefusesAWrappingThatDoesNotUnwrap(t *testing.T) {
	t.Parallel()

	old := newTestLocalWrapper(t)
	orgID := uuid.New()
	wrapped, err := New(old).NewDataKey(t.Context(), orgID)
	require.NoError(t, err)

	kr := New(noUnwrap{newTestLocalWrapper(t)}, old)
	_, changed, err := kr.Rewrap(t.Context(), orgID, wrapped)
	require.ErrorContains(t, err, "does not unwrap")
	require.ErrorContains(t, err, "kms:Decrypt")
	require.False(t, changed)
}
