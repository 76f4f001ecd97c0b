package keyring

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

func testAAD(orgID uuid.UUID) AAD {
	return AAD{OrgID: orgID, ConnectionID: uuid.New(), Purpose: "client_secret"}
}

func TestSealOpenRoundTrip(t *testing.T) {
	t.Parallel()

	kr := New(newTestLocalWrapper(t))
	orgID := uuid.New()
	aad := testAAD(orgID)
	wrapped, err := kr.NewDataKey(t.Context(), orgID)
	require.NoError(t, err)

	for _, plaintext := range [][]byte{[]byte("s3cr3t-client-secret"), {}, bytes.Repeat([]byte{0xff}, 4096)} {
		sealed, err := kr.Seal(t.Context(), orgID, wrapped, aad, plaintext)
		require.NoError(t, err)
		require.Equal(t, sealVersion, sealed[0])
		require.Len(t, sealed, 1+12+len(plaintext)+16)
		if len(plaintext) > 0 {
			require.False(t, bytes.Contains(sealed, plaintext))
		}

		again, err := kr.Seal(t.Context(), orgID, wrapped, aad, plaintext)
		require.NoError(t, err)
		require.NotEqual(t, sealed, again, "every seal uses a fresh nonce")

		got, err := kr.Open(t.Context(), orgID, wrapped, aad, sealed)
		require.NoError(t, err)
		require.True(t, bytes.Equal(plaintext, got), "nil and empty are the same plaintext")
	}
}

func TestOpenFailsForWrongAAD(t *testing.T) {
	t.Parallel()

	kr := New(newTestLocalWrapper(t))
	orgID := uuid.New()
	aad := testAAD(orgID)
	wrapped, err := kr.NewDataKey(t.Context(), orgID)
	require.NoError(t, err)
	sealed, err := kr.Seal(t.Context(), orgID, wrapped, aad, []byte("s3cr3t"))
	require.NoError(t, err)

	t.Run("ConnectionID", func(t *testing.T) {
		t.Parallel()

		wrong := aad
		wrong.ConnectionID = uuid.New()
		_, err := kr.Open(t.Context(), orgID, wrapped, wrong, sealed)
		require.ErrorIs(t, err, ErrInvalidCiphertext)
		require.NotContains(t, err.Error(), "s3cr3t")
	})

	t.Run("Purpose", func(t *testing.T) {
		t.Parallel()

		for _, purpose := range []string{"refresh_token", "", "client_secret ", "Client_secret"} {
			wrong := aad
			wrong.Purpose = purpose
			_, err := kr.Open(t.Context(), orgID, wrapped, wrong, sealed)
			require.ErrorIs(t, err, ErrInvalidCiphertext, "purpose %q", purpose)
		}
	})

	t.Run("OrgID", func(t *testing.T) {
		t.Parallel()

		otherOrg := uuid.New()
		wrong := aad
		wrong.OrgID = otherOrg
		_, err := kr.Open(t.Context(), orgID, wrapped, wrong, sealed)
		require.ErrorContains(t, err, "keyring: additional data is for org")

		_, err = kr.Open(t.Context(), otherOrg, wrapped, wrong, sealed)
		require.ErrorIs(t, err, ErrInvalidCiphertext, "the data key does not unwrap for another org")

		_, err = kr.Seal(t.Context(), orgID, wrapped, wrong, []byte("x"))
		require.Error(t, err)
	})

	t.Run("data key of another org", func(t *testing.T) {
		t.Parallel()

		otherOrg := uuid.New()
		otherWrapped, err := kr.NewDataKey(t.Context(), otherOrg)
		require.NoError(t, err)
		_, err = kr.Open(t.Context(), orgID, otherWrapped, aad, sealed)
		require.ErrorIs(t, err, ErrInvalidCiphertext)
	})

	got, err := kr.Open(t.Context(), orgID, wrapped, aad, sealed)
	require.NoError(t, err)
	require.Equal(t, "s3cr3t", string(got))
}

func TestOpenFailsForTamperedMessage(t *testing.T) {
	t.Parallel()

	kr := New(newTestLocalWrapper(t))
	orgID := uuid.New()
	aad := testAAD(orgID)
	wrapped, err := kr.NewDataKey(t.Context(), orgID)
	require.NoError(t, err)
	sealed, err := kr.Seal(t.Context(), orgID, wrapped, aad, []byte("s3cr3t"))
	require.NoError(t, err)

	for i := range sealed {
		tampered := bytes.Clone(sealed)
		tampered[i] ^= 0x80
		_, err := kr.Open(t.Context(), orgID, wrapped, aad, tampered)
		require.ErrorIs(t, err, ErrInvalidCiphertext, "byte %d", i)
	}
	for _, truncated := range [][]byte{nil, sealed[:1], sealed[:13], sealed[:len(sealed)-1]} {
		_, err := kr.Open(t.Context(), orgID, wrapped, aad, truncated)
		require.ErrorIs(t, err, ErrInvalidCiphertext, "length %d", len(truncated))
	}
}

func TestAADEncodingIsUnambiguous(t *testing.T) {
	t.Parallel()

	orgID, connID := uuid.New(), uuid.New()
	base := AAD{OrgID: orgID, ConnectionID: connID, Purpose: "client_secret"}
	seen := map[string]AAD{}
	for _, a := range []AAD{
		base,
		{OrgID: uuid.New(), ConnectionID: connID, Purpose: "client_secret"},
		{OrgID: orgID, ConnectionID: uuid.New(), Purpose: "client_secret"},
		{OrgID: orgID, ConnectionID: connID, Purpose: "refresh_token"},
		{OrgID: orgID, ConnectionID: connID},
		{OrgID: connID, ConnectionID: orgID, Purpose: "client_secret"},
		{},
	} {
		enc := string(a.encode())
		require.NotContains(t, seen, enc, "%+v encodes like %+v", a, seen[enc])
		seen[enc] = a
	}
	require.Equal(t, base.encode(), base.encode())

	require.NotEqual(t,
		canonicalContext(map[string]string{"a": "bc"}),
		canonicalContext(map[string]string{"ab": "c"}))
	require.Equal(t,
		canonicalContext(map[string]string{"a": "1", "b": "2"}),
		canonicalContext(map[string]string{"b": "2", "a": "1"}))
}

func TestUnknownWrapper(t *testing.T) {
	t.Parallel()

	orgID := uuid.New()
	wrapped, err := New(newTestLocalWrapper(t)).NewDataKey(t.Context(), orgID)
	require.NoError(t, err)

	kr := New(newTestLocalWrapper(t))
	require.True(t, kr.NeedsRewrap(wrapped))
	_, err = kr.Seal(t.Context(), orgID, wrapped, testAAD(orgID), []byte("x"))
	require.ErrorIs(t, err, ErrUnknownWrapper)
	require.ErrorContains(t, err, "keyring: ")
	_, _, err = kr.Rewrap(t.Context(), orgID, wrapped)
	require.ErrorIs(t, err, ErrUnknownWrapper)
}

func TestRotationBetweenLocalKeys(t *testing.T) {
	t.Parallel()

	oldWrapper, newWrapper := newTestLocalWrapper(t), newTestLocalWrapper(t)
	orgID := uuid.New()
	aad := testAAD(orgID)

	before := New(oldWrapper)
	wrapped, err := before.NewDataKey(t.Context(), orgID)
	require.NoError(t, err)
	sealed, err := before.Seal(t.Context(), orgID, wrapped, aad, []byte("sealed before the rewrap"))
	require.NoError(t, err)

	during := New(newWrapper, oldWrapper)
	require.Equal(t, newWrapper.ID(), during.CurrentID())
	require.True(t, during.NeedsRewrap(wrapped))
	got, err := during.Open(t.Context(), orgID, wrapped, aad, sealed)
	require.NoError(t, err, "a previous wrapper still opens its data keys")
	require.Equal(t, "sealed before the rewrap", string(got))

	rewrapped, changed, err := during.Rewrap(t.Context(), orgID, wrapped)
	require.NoError(t, err)
	require.True(t, changed)
	require.True(t, newWrapper.Owns(rewrapped))
	require.False(t, during.NeedsRewrap(rewrapped))

	oldKey, err := oldWrapper.Unwrap(t.Context(), orgID, wrapped)
	require.NoError(t, err)
	newKey, err := newWrapper.Unwrap(t.Context(), orgID, rewrapped)
	require.NoError(t, err)
	require.Equal(t, oldKey, newKey, "rewrapping keeps the data key")

	again, changed, err := during.Rewrap(t.Context(), orgID, rewrapped)
	require.NoError(t, err)
	require.False(t, changed)
	require.Equal(t, rewrapped, again)

	after := New(newWrapper)
	got, err = after.Open(t.Context(), orgID, rewrapped, aad, sealed)
	require.NoError(t, err)
	require.Equal(t, "sealed before the rewrap", string(got))
	_, err = after.Open(t.Context(), orgID, wrapped, aad, sealed)
	require.ErrorIs(t, err, ErrUnknownWrapper, "the old blob needs the old wrapper")
}

func TestCacheExpiresWithClock(t *testing.T) {
	t.Parallel()

	clock := newFakeClock()
	counter := &countingWrapper{Wrapper: newTestLocalWrapper(t)}
	kr := New(counter).WithClock(clock.Now)
	orgID := uuid.New()
	aad := testAAD(orgID)

	wrapped, err := kr.NewDataKey(t.Context(), orgID)
	require.NoError(t, err)
	sealed, err := kr.Seal(t.Context(), orgID, wrapped, aad, []byte("x"))
	require.NoError(t, err)
	require.Zero(t, counter.unwraps.Load(), "NewDataKey caches the plaintext key")

	clock.Advance(DefaultCacheTTL - time.Second)
	_, err = kr.Open(t.Context(), orgID, wrapped, aad, sealed)
	require.NoError(t, err)
	require.Zero(t, counter.unwraps.Load())

	clock.Advance(time.Second)
	_, err = kr.Open(t.Context(), orgID, wrapped, aad, sealed)
	require.NoError(t, err)
	require.EqualValues(t, 1, counter.unwraps.Load(), "an expired key is unwrapped again")

	_, err = kr.Open(t.Context(), orgID, wrapped, aad, sealed)
	require.NoError(t, err)
	require.EqualValues(t, 1, counter.unwraps.Load())

	short := kr.WithCacheTTL(time.Minute)
	_, err = short.Open(t.Context(), orgID, wrapped, aad, sealed)
	require.NoError(t, err)
	require.EqualValues(t, 2, counter.unwraps.Load(), "a derived keyring starts with an empty cache")
	clock.Advance(time.Minute)
	_, err = short.Open(t.Context(), orgID, wrapped, aad, sealed)
	require.NoError(t, err)
	require.EqualValues(t, 3, counter.unwraps.Load())
}

func TestCacheIsBounded(t *testing.T) {
	t.Parallel()

	counter := &countingWrapper{Wrapper: newTestLocalWrapper(t)}
	kr := New(counter).WithClock(newFakeClock().Now).WithCacheSize(2)
	orgs := []uuid.UUID{uuid.New(), uuid.New(), uuid.New()}
	wrapped := make([][]byte, len(orgs))
	for i, orgID := range orgs {
		var err error
		wrapped[i], err = kr.NewDataKey(t.Context(), orgID)
		require.NoError(t, err)
	}

	seal := func(i int) {
		t.Helper()
		_, err := kr.Seal(t.Context(), orgs[i], wrapped[i], testAAD(orgs[i]), []byte("x"))
		require.NoError(t, err)
	}
	seal(2)
	seal(1)
	require.Zero(t, counter.unwraps.Load(), "the two newest keys are cached")
	seal(0)
	require.EqualValues(t, 1, counter.unwraps.Load(), "the oldest key was evicted")
	seal(0)
	require.EqualValues(t, 1, counter.unwraps.Load())
	seal(1)
	require.EqualValues(t, 2, counter.unwraps.Load(), "re-caching org 0 evicted org 1")
}

func TestCacheCanBeDisabled(t *testing.T) {
	t.Parallel()

	counter := &countingWrapper{Wrapper: newTestLocalWrapper(t)}
	for _, kr := range []*Keyring{New(counter).WithCacheTTL(0), New(counter).WithCacheSize(0)} {
		before := counter.unwraps.Load()
		orgID := uuid.New()
		wrapped, err := kr.NewDataKey(t.Context(), orgID)
		require.NoError(t, err)
		for range 3 {
			_, err := kr.Seal(t.Context(), orgID, wrapped, testAAD(orgID), []byte("x"))
			require.NoError(t, err)
		}
		require.EqualValues(t, 3, counter.unwraps.Load()-before)
	}
}

// shortKeyWrapper returns 16-byte data keys, which would select AES-128.
type shortKeyWrapper struct {
	Wrapper
}

func (w shortKeyWrapper) GenerateDataKey(ctx context.Context, orgID uuid.UUID) (plaintext, wrapped []byte, err error) {
	plaintext = make([]byte, 16)
	wrapped, err = w.Wrap(ctx, orgID, plaintext)
	return plaintext, wrapped, err
}

func (w shortKeyWrapper) Unwrap(ctx context.Context, orgID uuid.UUID, wrapped []byte) ([]byte, error) {
	key, err := w.Wrapper.Unwrap(ctx, orgID, wrapped)
	if err != nil {
		return nil, err
	}
	return key[:16], nil
}

func TestRejectsDataKeyOfWrongSize(t *testing.T) {
	t.Parallel()

	local := newTestLocalWrapper(t)
	kr := New(shortKeyWrapper{Wrapper: local})
	orgID := uuid.New()
	_, err := kr.NewDataKey(t.Context(), orgID)
	require.ErrorContains(t, err, "16-byte data key, want 32")

	wrapped, err := New(local).NewDataKey(t.Context(), orgID)
	require.NoError(t, err)
	_, err = kr.Seal(t.Context(), orgID, wrapped, testAAD(orgID), []byte("x"))
	require.ErrorContains(t, err, "16-byte data key, want 32")
}

func TestKeyringConcurrentUse(t *testing.T) {
	t.Parallel()

	kr := New(newTestLocalWrapper(t)).WithCacheSize(3)
	orgs := make([]uuid.UUID, 6)
	wrapped := make([][]byte, len(orgs))
	for i := range orgs {
		orgs[i] = uuid.New()
		var err error
		wrapped[i], err = kr.NewDataKey(t.Context(), orgs[i])
		require.NoError(t, err)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 16 {
		wg.Go(func() {
			for n := range 50 {
				i := (g + n) % len(orgs)
				aad := AAD{OrgID: orgs[i], Purpose: "client_secret"}
				msg := fmt.Appendf(nil, "secret %d/%d", g, n)
				sealed, err := kr.Seal(context.Background(), orgs[i], wrapped[i], aad, msg)
				if err == nil {
					var got []byte
					got, err = kr.Open(context.Background(), orgs[i], wrapped[i], aad, sealed)
					if err == nil && !bytes.Equal(got, msg) {
						err = fmt.Errorf("opened %q, want %q", got, msg)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

func TestNewPanicsWithoutCurrentWrapper(t *testing.T) {
	t.Parallel()

	require.PanicsWithValue(t, "keyring: New needs a current wrapper", func() { New(nil) })
}
