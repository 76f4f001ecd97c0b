package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/config"
)

func TestLoadKeysAcceptsEitherPreviousKeyWithEitherCurrentKind(t *testing.T) {
	t.Parallel()
	for _, env := range []map[string]string{
		{"ATTEST_MASTER_KEY_FILE": "/keys/new.key", "ATTEST_MASTER_KEY_FILE_PREVIOUS": "/keys/old.key"},
		{"ATTEST_MASTER_KEY_FILE": "/keys/new.key", "ATTEST_KMS_KEY_ID_PREVIOUS": "alias/old"},
		{"ATTEST_KMS_KEY_ID": "alias/new", "ATTEST_MASTER_KEY_FILE_PREVIOUS": "/keys/old.key"},
		{"ATTEST_KMS_KEY_ID": "alias/new", "ATTEST_KMS_KEY_ID_PREVIOUS": "alias/old"},
		// The file is ignored when a KMS key is current, so it may be the previous key.
		{"ATTEST_KMS_KEY_ID": "alias/new", "ATTEST_MASTER_KEY_FILE": "/keys/old.key", "ATTEST_MASTER_KEY_FILE_PREVIOUS": "/keys/old.key"},
	} {
		k, err := config.LoadKeys(func(name string) string { return env[name] })
		require.NoError(t, err, "%v", env)
		require.Equal(t, config.Keys{MasterKeyFile: env["ATTEST_MASTER_KEY_FILE"], KMSKeyID: env["ATTEST_KMS_KEY_ID"],
			PreviousMasterKeyFile: env["ATTEST_MASTER_KEY_FILE_PREVIOUS"], PreviousKMSKeyID: env["ATTEST_KMS_KEY_ID_PREVIOUS"]}, k)
	}
}

func TestLoadKeysNamesTheVariableAtFault(t *testing.T) {
	t.Parallel()
	for want, env := range map[string]map[string]string{
		"ATTEST_MASTER_KEY_FILE: or ATTEST_KMS_KEY_ID is required": {"ATTEST_MASTER_KEY_FILE_PREVIOUS": "/keys/old.key"},
		"ATTEST_MASTER_KEY_FILE_PREVIOUS: names the same file as ATTEST_MASTER_KEY_FILE": {
			"ATTEST_MASTER_KEY_FILE": "/keys/a.key", "ATTEST_MASTER_KEY_FILE_PREVIOUS": "/keys/../keys/a.key"},
		"ATTEST_KMS_KEY_ID_PREVIOUS: names the same key as ATTEST_KMS_KEY_ID": {
			"ATTEST_KMS_KEY_ID": "alias/attest", "ATTEST_KMS_KEY_ID_PREVIOUS": "alias/attest"},
	} {
		_, err := config.LoadKeys(func(name string) string { return env[name] })
		require.ErrorContains(t, err, want)
	}
}

func TestLoadCarriesThePreviousKeys(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"DATABASE_URL":                    "postgres://attest@localhost/attest",
		"ATTEST_SESSION_KEYS":             "0123456789abcdef0123456789abcdef",
		"ATTEST_MASTER_KEY_FILE":          "/keys/new.key",
		"ATTEST_MASTER_KEY_FILE_PREVIOUS": "/keys/old.key",
	}
	c, err := config.Load(func(name string) string { return env[name] })
	require.NoError(t, err)
	require.Equal(t, "/keys/new.key", c.MasterKeyFile)
	require.Equal(t, "/keys/old.key", c.PreviousMasterKeyFile)

	env["ATTEST_MASTER_KEY_FILE_PREVIOUS"] = "/keys/new.key"
	_, err = config.Load(func(name string) string { return env[name] })
	require.ErrorContains(t, err, "ATTEST_MASTER_KEY_FILE_PREVIOUS: names the same file")
}
