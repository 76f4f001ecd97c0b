package keyring

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/keyring/kmstest"
)

func TestKMSWrapperGenerateAndUnwrap(t *testing.T) {
	t.Parallel()

	lk := kmstest.New(t)
	w, err := NewKMSWrapper(lk.Client, lk.KeyID)
	require.NoError(t, err)
	require.Equal(t, "kms:"+lk.KeyID, w.ID())
	orgID := uuid.New()

	key, wrapped, err := w.GenerateDataKey(t.Context(), orgID)
	require.NoError(t, err)
	require.Len(t, key, DataKeySize)
	require.Equal(t, kmsMagic, string(wrapped[:magicLen]))
	require.True(t, w.Owns(wrapped))
	require.False(t, bytes.Contains(wrapped, key))

	got, err := w.Unwrap(t.Context(), orgID, wrapped)
	require.NoError(t, err)
	require.Equal(t, key, got)
}

func TestKMSWrapperWrapAndUnwrap(t *testing.T) {
	t.Parallel()

	lk := kmstest.New(t)
	w, err := NewKMSWrapper(lk.Client, lk.KeyID)
	require.NoError(t, err)
	orgID := uuid.New()
	key := make([]byte, DataKeySize)
	rand.Read(key)

	wrapped, err := w.Wrap(t.Context(), orgID, key)
	require.NoError(t, err)
	require.True(t, w.Owns(wrapped))

	got, err := w.Unwrap(t.Context(), orgID, wrapped)
	require.NoError(t, err)
	require.Equal(t, key, got)
}

func TestKMSWrapperWrongOrgFails(t *testing.T) {
	t.Parallel()

	lk := kmstest.New(t)
	w, err := NewKMSWrapper(lk.Client, lk.KeyID)
	require.NoError(t, err)
	orgID, otherOrg := uuid.New(), uuid.New()

	key, generated, err := w.GenerateDataKey(t.Context(), orgID)
	require.NoError(t, err)
	wrapped, err := w.Wrap(t.Context(), orgID, key)
	require.NoError(t, err)

	for _, blob := range [][]byte{generated, wrapped} {
		_, err := w.Unwrap(t.Context(), otherOrg, blob)
		require.ErrorIs(t, err, ErrInvalidCiphertext)
		var invalid *types.InvalidCiphertextException
		require.True(t, errors.As(err, &invalid), "the KMS error stays in the chain: %v", err)
		require.ErrorContains(t, err, "keyring: kms:"+lk.KeyID)
		require.ErrorContains(t, err, otherOrg.String())
		require.NotContains(t, err.Error(), string(key))
	}

	tampered := bytes.Clone(generated)
	tampered[len(tampered)-1] ^= 0x01
	_, err = w.Unwrap(t.Context(), orgID, tampered)
	require.Error(t, err)
}

func TestKMSWrapperOwns(t *testing.T) {
	t.Parallel()

	lk := kmstest.New(t)
	w, err := NewKMSWrapper(lk.Client, lk.KeyID)
	require.NoError(t, err)
	local := newTestLocalWrapper(t)
	orgID := uuid.New()
	_, localBlob, err := local.GenerateDataKey(t.Context(), orgID)
	require.NoError(t, err)

	require.False(t, w.Owns(localBlob))
	require.False(t, w.Owns([]byte(kmsMagic)))
	require.False(t, w.Owns(nil))
	_, err = w.Unwrap(t.Context(), orgID, localBlob)
	require.ErrorIs(t, err, ErrUnknownWrapper)
}

func TestNewKMSClientFromEnv(t *testing.T) {
	t.Parallel()

	lk := kmstest.New(t)
	client, err := NewKMSClientFromEnv(t.Context(),
		config.WithRegion(kmstest.Region),
		config.WithBaseEndpoint(lk.URL),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")),
	)
	require.NoError(t, err)

	w, err := NewKMSWrapper(client, lk.KeyID)
	require.NoError(t, err)
	orgID := uuid.New()
	key, wrapped, err := w.GenerateDataKey(t.Context(), orgID)
	require.NoError(t, err)
	got, err := w.Unwrap(t.Context(), orgID, wrapped)
	require.NoError(t, err)
	require.Equal(t, key, got)
}

func TestKeyringRotatesFromLocalToKMS(t *testing.T) {
	t.Parallel()

	lk := kmstest.New(t)
	kmsWrapper, err := NewKMSWrapper(lk.Client, lk.KeyID)
	require.NoError(t, err)
	local := newTestLocalWrapper(t)
	orgID := uuid.New()
	aad := AAD{OrgID: orgID, ConnectionID: uuid.New(), Purpose: "refresh_token"}

	old := New(local)
	wrapped, err := old.NewDataKey(t.Context(), orgID)
	require.NoError(t, err)
	sealed, err := old.Seal(t.Context(), orgID, wrapped, aad, []byte("refresh-token"))
	require.NoError(t, err)

	migrating := New(kmsWrapper, local)
	require.True(t, migrating.NeedsRewrap(wrapped))
	rewrapped, changed, err := migrating.Rewrap(t.Context(), orgID, wrapped)
	require.NoError(t, err)
	require.True(t, changed)
	require.True(t, kmsWrapper.Owns(rewrapped))
	require.False(t, migrating.NeedsRewrap(rewrapped))

	plaintext, err := New(kmsWrapper).Open(t.Context(), orgID, rewrapped, aad, sealed)
	require.NoError(t, err)
	require.Equal(t, "refresh-token", string(plaintext))
}

func TestKeyringRotatesBetweenKMSKeys(t *testing.T) {
	t.Parallel()

	lk := kmstest.New(t)
	oldKey, err := NewKMSWrapper(lk.Client, lk.KeyID)
	require.NoError(t, err)
	newKey, err := NewKMSWrapper(lk.Client, lk.CreateKey(t))
	require.NoError(t, err)
	orgID := uuid.New()
	aad := AAD{OrgID: orgID, ConnectionID: uuid.New(), Purpose: "client_secret"}

	before := New(oldKey)
	wrapped, err := before.NewDataKey(t.Context(), orgID)
	require.NoError(t, err)
	sealed, err := before.Seal(t.Context(), orgID, wrapped, aad, []byte("s3cret"))
	require.NoError(t, err)

	during := New(newKey, oldKey)
	require.True(t, during.NeedsRewrap(wrapped), "a blob of the old KMS key needs a rewrap")
	rewrapped, changed, err := during.Rewrap(t.Context(), orgID, wrapped)
	require.NoError(t, err)
	require.True(t, changed)
	require.False(t, during.NeedsRewrap(rewrapped))

	after := New(newKey)
	plain, err := after.Open(t.Context(), orgID, rewrapped, aad, sealed)
	require.NoError(t, err)
	require.Equal(t, "s3cret", string(plain))
	_, err = after.Open(t.Context(), orgID, wrapped, aad, sealed)
	require.ErrorIs(t, err, ErrUnknownWrapper)
}
