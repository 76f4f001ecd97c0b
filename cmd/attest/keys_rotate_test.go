package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/config"
	"github.com/attesthq/attest/internal/keyring"
	"github.com/attesthq/attest/internal/syncer"
	"github.com/attesthq/attest/internal/synctest"
	"github.com/attesthq/attest/internal/testdb"
)

func TestKeysRotateCommand(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	dir := t.TempDir()
	fileA, fileB := filepath.Join(dir, "a.key"), filepath.Join(dir, "b.key")
	var envs []*synctest.Env
	var conns []uuid.UUID
	for range 2 {
		e := synctest.New(t, synctest.Options{DB: tdb, KeyFile: fileA})
		envs, conns = append(envs, e), append(conns, e.Connect(t))
	}
	keyA, err := keyring.OpenLocalKeyFile(fileA, false)
	require.NoError(t, err)
	// The operator makes the new key first (the servers restart with it).
	keyB, err := keyring.OpenLocalKeyFile(fileB, true)
	require.NoError(t, err)
	env := map[string]string{"DATABASE_URL": tdb.URL, "ATTEST_MASTER_KEY_FILE": fileB}

	// Without the old key nothing can be rewrapped: each organization fails
	// with the reason and keeps its wrapping.
	out, _, err := run(t, env, "", "keys", "rotate")
	require.Error(t, err)
	require.Equal(t, 1, exitCode(err))
	require.ErrorContains(t, err, "2 of 2 organizations failed")
	require.Contains(t, out, envs[0].Org.ID.String()+" ("+envs[0].Org.Slug+"): FAILED, wrapped by "+keyA.ID())
	require.Contains(t, out, "configure that key as ATTEST_MASTER_KEY_FILE_PREVIOUS or ATTEST_KMS_KEY_ID_PREVIOUS")
	require.Contains(t, out, "rewrapped 0, already current 0, no data key yet 0, failed 2\n")

	env["ATTEST_MASTER_KEY_FILE_PREVIOUS"] = fileA
	out, _, err = run(t, env, "", "keys", "rotate")
	require.NoError(t, err)
	for _, e := range envs {
		require.Contains(t, out, e.Org.ID.String()+" ("+e.Org.Slug+"): rewrapped from "+keyA.ID()+" to "+keyB.ID()+"\n")
	}
	require.True(t, strings.HasSuffix(out, "rewrapped 2, already current 0, no data key yet 0, failed 0\n"), out)
	out, _, err = run(t, env, "", "keys", "rotate")
	require.NoError(t, err)
	require.Equal(t, "rewrapped 0, already current 2, no data key yet 0, failed 0\n", out, "a second run changes nothing")

	out, _, err = run(t, env, "", "keys", "rotate", "--org", envs[0].Org.Slug, "--reseal")
	require.NoError(t, err)
	require.Equal(t, envs[0].Org.ID.String()+" ("+envs[0].Org.Slug+"): new data key under "+keyB.ID()+" (the old one was under "+keyB.ID()+
		"); resealed 3 values (connections: 1, authorization flows: 1)\n", out)
	out, _, err = run(t, env, "", "keys", "rotate", "--org", envs[1].Org.ID.String())
	require.NoError(t, err)
	require.Equal(t, "rewrapped 0, already current 1, no data key yet 0, failed 0\n", out)

	// The old key file goes: every connection syncs with the new key alone,
	// and the audit chains still verify.
	require.NoError(t, os.Remove(fileA))
	onlyB := keyring.New(keyB)
	for i, e := range envs {
		e.Vault.Keyring = onlyB
		res, err := e.Sync(t, conns[i])
		require.NoError(t, err)
		require.Equal(t, syncer.StatusSucceeded, res.Status)
	}
	out, _, err = run(t, env, "", "audit", "verify")
	require.NoError(t, err)
	require.Equal(t, 2, strings.Count(out, ": ok,"))
}

func TestKeysRotateRefusesBadInput(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	dir := t.TempDir()
	current := filepath.Join(dir, "current.key")
	_, err := keyring.OpenLocalKeyFile(current, true)
	require.NoError(t, err)
	copied := filepath.Join(dir, "copy.key")
	raw, err := os.ReadFile(current)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(copied, raw, 0o600))
	missing := filepath.Join(dir, "missing.key")

	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"reseal without an organization", nil, []string{"--reseal"}, "--reseal needs --org ORG"},
		{"stray argument", nil, []string{"now"}, `unexpected argument "now"`},
		{"unknown organization", nil, []string{"--org", "nope"}, "no such organization"},
		{"no key at all", map[string]string{"ATTEST_MASTER_KEY_FILE": ""}, nil, "ATTEST_MASTER_KEY_FILE: or ATTEST_KMS_KEY_ID is required"},
		{"missing current key", map[string]string{"ATTEST_MASTER_KEY_FILE": missing}, nil, "ATTEST_MASTER_KEY_FILE: keyring: open local key file"},
		{"missing previous key", map[string]string{"ATTEST_MASTER_KEY_FILE_PREVIOUS": missing}, nil, "ATTEST_MASTER_KEY_FILE_PREVIOUS: keyring: open local key file"},
		{"previous is the current file", map[string]string{"ATTEST_MASTER_KEY_FILE_PREVIOUS": current}, nil, "ATTEST_MASTER_KEY_FILE_PREVIOUS: names the same file as ATTEST_MASTER_KEY_FILE"},
		{"previous holds the current key", map[string]string{"ATTEST_MASTER_KEY_FILE_PREVIOUS": copied}, nil, "ATTEST_MASTER_KEY_FILE_PREVIOUS: holds the current key"},
		{"previous is the current KMS key", map[string]string{"ATTEST_KMS_KEY_ID": "alias/attest", "ATTEST_KMS_KEY_ID_PREVIOUS": "alias/attest"}, nil,
			"ATTEST_KMS_KEY_ID_PREVIOUS: names the same key as ATTEST_KMS_KEY_ID"},
	} {
		env := map[string]string{"DATABASE_URL": tdb.URL, "ATTEST_MASTER_KEY_FILE": current}
		for k, v := range tc.env {
			env[k] = v
		}
		_, _, err := run(t, env, "", append([]string{"keys", "rotate"}, tc.args...)...)
		require.ErrorContains(t, err, tc.want, tc.name)
		require.Equal(t, 2, exitCode(err), tc.name)
	}
	_, err = os.Stat(missing)
	require.ErrorIs(t, err, os.ErrNotExist, "keys rotate never creates a key")
	_, _, err = run(t, nil, "", "keys", "frobnicate")
	require.ErrorContains(t, err, "usage: attest keys rotate")
}

func TestServerKeyringReadsThePreviousKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	oldFile, newFile := filepath.Join(dir, "old.key"), filepath.Join(dir, "new.key")
	old, err := newKeyring(ctx, config.Keys{MasterKeyFile: oldFile}, true)
	require.NoError(t, err)
	orgID := uuid.New()
	aad := keyring.AAD{OrgID: orgID, ConnectionID: uuid.New(), Purpose: "client_secret"}
	wrapped, err := old.NewDataKey(ctx, orgID)
	require.NoError(t, err)
	sealed, err := old.Seal(ctx, orgID, wrapped, aad, []byte("s3cret"))
	require.NoError(t, err)

	rotating, err := newKeyring(ctx, config.Keys{MasterKeyFile: newFile, PreviousMasterKeyFile: oldFile}, true)
	require.NoError(t, err)
	require.NotEqual(t, old.CurrentID(), rotating.CurrentID(), "new data keys are made with the new key")
	plain, err := rotating.Open(ctx, orgID, wrapped, aad, sealed)
	require.NoError(t, err, "data keys of the previous key still open")
	require.Equal(t, "s3cret", string(plain))

	after, err := newKeyring(ctx, config.Keys{MasterKeyFile: newFile}, true)
	require.NoError(t, err)
	_, err = after.Open(ctx, orgID, wrapped, aad, sealed)
	require.ErrorIs(t, err, keyring.ErrUnknownWrapper)
}
