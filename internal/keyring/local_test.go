package keyring

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

func TestOpenLocalKeyFileCreates(t *testing.T) {
	t.Parallel()

	dir := filepath.Join(t.TempDir(), "secrets", "attest")
	path := filepath.Join(dir, "master.key")

	w, err := OpenLocalKeyFile(path, true)
	require.NoError(t, err)

	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, fs.FileMode(0o600), info.Mode().Perm())
	dirInfo, err := os.Stat(dir)
	require.NoError(t, err)
	require.Equal(t, fs.FileMode(0o700), dirInfo.Mode().Perm())

	content, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Len(t, content, 65)
	require.Equal(t, byte('\n'), content[64])
	_, err = hex.DecodeString(string(content[:64]))
	require.NoError(t, err)

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "the temporary file is removed")

	reopened, err := OpenLocalKeyFile(path, false)
	require.NoError(t, err)
	require.Equal(t, w.ID(), reopened.ID())
	require.Regexp(t, `^local:[0-9a-f]{16}$`, w.ID())

	orgID := uuid.New()
	key, wrapped, err := w.GenerateDataKey(t.Context(), orgID)
	require.NoError(t, err)
	got, err := reopened.Unwrap(t.Context(), orgID, wrapped)
	require.NoError(t, err)
	require.Equal(t, key, got)
}

func TestOpenLocalKeyFileConcurrentCreateAgrees(t *testing.T) {
	t.Parallel()

	path := filepath.Join(t.TempDir(), "master.key")
	ids := make([]string, 8)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			w, err := OpenLocalKeyFile(path, true)
			if err == nil {
				ids[i] = w.ID()
			}
		})
	}
	wg.Wait()
	for _, id := range ids {
		require.Equal(t, ids[0], id)
	}
	require.NotEmpty(t, ids[0])
}

func TestOpenLocalKeyFileMissing(t *testing.T) {
	t.Parallel()

	path := filepath.Join(t.TempDir(), "master.key")
	_, err := OpenLocalKeyFile(path, false)
	require.ErrorIs(t, err, fs.ErrNotExist)
	require.ErrorContains(t, err, "keyring: ")
	require.ErrorContains(t, err, path)
	require.NoFileExists(t, path)
}

func TestOpenLocalKeyFileRefusesLoosePermissions(t *testing.T) {
	t.Parallel()

	path := filepath.Join(t.TempDir(), "master.key")
	_, err := OpenLocalKeyFile(path, true)
	require.NoError(t, err)

	for _, mode := range []fs.FileMode{0o640, 0o604, 0o660, 0o620, 0o644, 0o666} {
		require.NoError(t, os.Chmod(path, mode))
		_, err := OpenLocalKeyFile(path, false)
		require.ErrorContains(t, err, path, "mode %#o", mode)
		require.ErrorContains(t, err, "group or others", "mode %#o", mode)
		_, err = OpenLocalKeyFile(path, true)
		require.Error(t, err, "create never replaces an existing file, mode %#o", mode)
	}

	for _, mode := range []fs.FileMode{0o600, 0o400} {
		require.NoError(t, os.Chmod(path, mode))
		_, err := OpenLocalKeyFile(path, false)
		require.NoError(t, err, "mode %#o", mode)
	}
}

func TestOpenLocalKeyFileRefusesBadContent(t *testing.T) {
	t.Parallel()

	valid := strings.Repeat("0123456789abcdef", 4)
	for name, content := range map[string]string{
		"empty":            "",
		"newline only":     "\n",
		"too short":        valid[:62],
		"odd length":       valid[:63],
		"too long":         valid + "00",
		"trailing garbage": valid + "\nextra",
		"two newlines":     valid + "\n\n",
		"crlf":             valid + "\r\n",
		"leading space":    " " + valid[1:],
		"not hex":          "zz" + valid[2:],
		"raw bytes":        strings.Repeat("k", 32),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()

			path := filepath.Join(t.TempDir(), "master.key")
			require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
			_, err := OpenLocalKeyFile(path, true)
			require.ErrorContains(t, err, path)
			require.ErrorContains(t, err, "64 hex digits")
			if len(content) >= 16 {
				require.NotContains(t, err.Error(), content[:8], "errors never quote key material")
			}
		})
	}

	for name, content := range map[string]string{
		"no newline": valid,
		"upper case": strings.ToUpper(valid) + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()

			path := filepath.Join(t.TempDir(), "master.key")
			require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
			_, err := OpenLocalKeyFile(path, false)
			require.NoError(t, err)
		})
	}
}

func TestOpenLocalKeyFileRefusesDirectory(t *testing.T) {
	t.Parallel()

	path := filepath.Join(t.TempDir(), "master.key")
	require.NoError(t, os.Mkdir(path, 0o700))
	_, err := OpenLocalKeyFile(path, true)
	require.ErrorContains(t, err, path)
	require.ErrorContains(t, err, "not a regular file")
}

func TestLocalWrapperRoundTrip(t *testing.T) {
	t.Parallel()

	w := newTestLocalWrapper(t)
	orgID := uuid.New()

	key, wrapped, err := w.GenerateDataKey(t.Context(), orgID)
	require.NoError(t, err)
	require.Len(t, key, DataKeySize)
	require.Len(t, wrapped, magicLen+localKeyIDLen+12+DataKeySize+16)
	require.Equal(t, localMagic, string(wrapped[:magicLen]))
	require.True(t, w.Owns(wrapped))
	require.False(t, bytes.Contains(wrapped, key))

	got, err := w.Unwrap(t.Context(), orgID, wrapped)
	require.NoError(t, err)
	require.Equal(t, key, got)

	other := make([]byte, DataKeySize)
	rand.Read(other)
	rewrapped, err := w.Wrap(t.Context(), orgID, other)
	require.NoError(t, err)
	got, err = w.Unwrap(t.Context(), orgID, rewrapped)
	require.NoError(t, err)
	require.Equal(t, other, got)

	again, err := w.Wrap(t.Context(), orgID, other)
	require.NoError(t, err)
	require.NotEqual(t, rewrapped, again, "every wrap uses a fresh nonce")
}

func TestLocalWrapperWrongOrgFails(t *testing.T) {
	t.Parallel()

	w := newTestLocalWrapper(t)
	orgID, otherOrg := uuid.New(), uuid.New()
	key, wrapped, err := w.GenerateDataKey(t.Context(), orgID)
	require.NoError(t, err)

	_, err = w.Unwrap(t.Context(), otherOrg, wrapped)
	require.ErrorIs(t, err, ErrInvalidCiphertext)
	require.ErrorContains(t, err, "keyring: ")
	require.ErrorContains(t, err, otherOrg.String())
	require.NotContains(t, err.Error(), hex.EncodeToString(key))
}

func TestLocalWrapperTamperedBlobFails(t *testing.T) {
	t.Parallel()

	w := newTestLocalWrapper(t)
	orgID := uuid.New()
	_, wrapped, err := w.GenerateDataKey(t.Context(), orgID)
	require.NoError(t, err)

	for i := range wrapped {
		tampered := bytes.Clone(wrapped)
		tampered[i] ^= 0x01
		_, err := w.Unwrap(t.Context(), orgID, tampered)
		require.Error(t, err, "byte %d", i)
		if i < magicLen+localKeyIDLen {
			require.ErrorIs(t, err, ErrUnknownWrapper, "header byte %d", i)
			require.False(t, w.Owns(tampered))
		} else {
			require.ErrorIs(t, err, ErrInvalidCiphertext, "byte %d", i)
		}
	}

	for _, truncated := range [][]byte{nil, wrapped[:magicLen], wrapped[:magicLen+localKeyIDLen], wrapped[:len(wrapped)-1]} {
		_, err := w.Unwrap(t.Context(), orgID, truncated)
		require.Error(t, err, "length %d", len(truncated))
	}
}

func TestLocalWrapperOwns(t *testing.T) {
	t.Parallel()

	w, other := newTestLocalWrapper(t), newTestLocalWrapper(t)
	require.NotEqual(t, w.ID(), other.ID())
	orgID := uuid.New()
	_, wrapped, err := other.GenerateDataKey(t.Context(), orgID)
	require.NoError(t, err)

	require.False(t, w.Owns(wrapped), "another master key's blob")
	require.True(t, other.Owns(wrapped))
	require.False(t, w.Owns(encodeKMS("alias/attest", []byte("kms ciphertext"))))
	require.False(t, w.Owns(nil))
	_, err = w.Unwrap(t.Context(), orgID, wrapped)
	require.ErrorIs(t, err, ErrUnknownWrapper)
}
