package config_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/config"
)

// base is a minimal valid environment.
func base(t *testing.T) map[string]string {
	return map[string]string{
		"DATABASE_URL":           "postgres://attest@localhost/attest",
		"ATTEST_SESSION_KEYS":    "0123456789abcdef0123456789abcdef",
		"ATTEST_MASTER_KEY_FILE": filepath.Join(t.TempDir(), "master.key"),
	}
}

func load(env map[string]string) (config.Config, error) {
	return config.Load(func(k string) string { return env[k] })
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	c, err := load(base(t))
	require.NoError(t, err)
	require.Equal(t, ":3000", c.Addr)
	require.Equal(t, config.RoleAll, c.Role)
	require.True(t, c.Serves())
	require.True(t, c.Works())
	require.Equal(t, 4, c.SyncWorkers)
	require.Equal(t, 20*time.Minute, c.SyncTimeout)
	require.Equal(t, 25*time.Minute, c.JobRescueAfter)
	require.Equal(t, time.Hour, c.SessionIdleTimeout)
	require.False(t, c.SecureCookies())
	require.Equal(t, config.PoolerNone, c.DBPooler)
}

func TestRoles(t *testing.T) {
	t.Parallel()
	for role, want := range map[string][2]bool{"web": {true, false}, "jobs": {false, true}, "all": {true, true}} {
		env := base(t)
		env["ATTEST_ROLE"] = role
		c, err := load(env)
		require.NoError(t, err)
		require.Equal(t, want, [2]bool{c.Serves(), c.Works()}, role)
	}
}

// TestEveryProblemIsNamed checks that bad values are refused with the
// variable's name, all at once.
func TestEveryProblemIsNamed(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		env  map[string]string
		want []string
	}{
		"missing required": {env: map[string]string{}, want: []string{"DATABASE_URL", "ATTEST_SESSION_KEYS", "ATTEST_MASTER_KEY_FILE"}},
		"bad values": {env: map[string]string{
			"ATTEST_ROLE": "cron", "ATTEST_SYNC_WORKERS": "0", "ATTEST_SYNC_TIMEOUT": "soon", "ATTEST_ADDR": "3000",
			"ATTEST_BASE_URL": "ftp://x", "ATTEST_LOG_FORMAT": "xml", "ATTEST_SESSION_IDLE_TIMEOUT": "-1h",
		}, want: []string{"ATTEST_ROLE", "ATTEST_SYNC_WORKERS", "ATTEST_SYNC_TIMEOUT", "ATTEST_ADDR", "ATTEST_BASE_URL", "ATTEST_LOG_FORMAT", "ATTEST_SESSION_IDLE_TIMEOUT"}},
		"rescue before timeout":   {env: map[string]string{"ATTEST_SYNC_TIMEOUT": "30m", "ATTEST_JOB_RESCUE_AFTER": "10m"}, want: []string{"ATTEST_JOB_RESCUE_AFTER"}},
		"webhook without secret":  {env: map[string]string{"ATTEST_ALERT_WEBHOOK_URL": "https://hooks.example/attest"}, want: []string{"ATTEST_ALERT_WEBHOOK_SECRET"}},
		"one entra root":          {env: map[string]string{"ATTEST_ENTRA_LOGIN_URL": "https://login.example"}, want: []string{"ATTEST_ENTRA_LOGIN_URL"}},
		"short session key":       {env: map[string]string{"ATTEST_SESSION_KEYS": "short"}, want: []string{"ATTEST_SESSION_KEYS"}},
		"pooler without app role": {env: map[string]string{"ATTEST_DB_POOLER": "pgbouncer"}, want: []string{"ATTEST_DB_POOLER"}},
		"unknown pooler":          {env: map[string]string{"ATTEST_DB_POOLER": "pgpool", "ATTEST_APP_DATABASE_URL": "postgres://app@localhost/attest"}, want: []string{"ATTEST_DB_POOLER"}},
	} {
		t.Run(name, func(t *testing.T) {
			env := base(t)
			if name == "missing required" {
				env = map[string]string{}
			}
			for k, v := range tc.env {
				env[k] = v
			}
			_, err := load(env)
			require.Error(t, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}
