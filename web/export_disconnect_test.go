package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// A client that hangs up mid-download stops the export's query at once,
// long before the idle timeout would: the database is not kept streaming
// rows to no one.
func TestExportStopsItsQueryWhenTheClientHangsUp(t *testing.T) {
	t.Parallel()
	b := setupWith(t, map[string]string{"ATTEST_EXPORT_IDLE_TIMEOUT": "5m"})
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	seedBulkEvidence(t, b, owner, 150)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, b.tdb.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	login, err := url.Parse(b.tdb.AppURL)
	require.NoError(t, err)
	exporting := func() bool {
		var active bool
		require.NoError(t, admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
			AND usename = $1 AND state = 'active' AND query LIKE '%FROM evidence e%')`, login.User.Username()).Scan(&active))
		return active
	}

	res, _ := stall(t, stallingClient(owner), b.srv.URL+exportPath)
	require.Eventually(t, exporting, 10*time.Second, 20*time.Millisecond, "the export's query streams while the client holds on")
	require.NoError(t, res.Body.Close()) // unread: the connection is closed
	require.Eventually(t, func() bool { return !exporting() }, 10*time.Second, 20*time.Millisecond, "the query stops with the client")
	require.Eventually(t, func() bool { return strings.Contains(b.logs.String(), `"msg":"download failed"`) }, 10*time.Second, 20*time.Millisecond)
}
