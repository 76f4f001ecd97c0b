package config_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/config"
)

func TestDatabaseAndExportLimitDefaults(t *testing.T) {
	t.Parallel()
	c, err := load(base(t))
	require.NoError(t, err)
	require.Empty(t, c.AppDatabaseURL)
	require.Equal(t, time.Minute, c.DBStatementTimeout)
	require.Equal(t, time.Minute, c.DBIdleInTransactionTimeout)
	require.Equal(t, config.ExportLimits{Total: 4, PerOrg: 2, IdleTimeout: 30 * time.Second, Timeout: 30 * time.Minute}, c.Exports)

	env := base(t)
	env["ATTEST_DB_MAX_CONNS"] = "4"
	c, err = load(env)
	require.NoError(t, err)
	require.Equal(t, 1, c.Exports.Total, "a small pool keeps most of its connections for pages")
	require.Equal(t, 1, c.Exports.PerOrg)
}

// Downloads may take at most half the pool, and one organization no more
// than the total.
func TestExportLimitsAreBoundedByThePool(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		env  map[string]string
		want string
	}{
		"more than half the pool": {map[string]string{"ATTEST_EXPORTS_MAX": "11"}, "ATTEST_EXPORTS_MAX"},
		"share above the total":   {map[string]string{"ATTEST_EXPORTS_MAX": "3", "ATTEST_EXPORTS_PER_ORG": "4"}, "ATTEST_EXPORTS_PER_ORG"},
		"no idle timeout":         {map[string]string{"ATTEST_EXPORT_IDLE_TIMEOUT": "0s"}, "ATTEST_EXPORT_IDLE_TIMEOUT"},
		"bad statement timeout":   {map[string]string{"ATTEST_DB_STATEMENT_TIMEOUT": "forever"}, "ATTEST_DB_STATEMENT_TIMEOUT"},
	} {
		env := base(t)
		for k, v := range tc.env {
			env[k] = v
		}
		_, err := load(env)
		require.ErrorContains(t, err, tc.want, name)
	}
}
