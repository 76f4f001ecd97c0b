package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// TestSyncNowWhileASyncIsFinishingQueuesOneMore presses "Sync now" in the
// moment a sync's run already reads "succeeded" but River has not yet
// marked its job completed: the press queues one more sync behind it
// instead of answering "already queued or running" and never running.
func TestSyncNowWhileASyncIsFinishingQueuesOneMore(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	path, _ := b.connectAndSync(t, c)
	require.Equal(t, 1, c.Get(path).Doc(t).Find(`[data-testid="run-row"][data-status="succeeded"]`).Length())
	// The first sync's job is still running as far as River knows.
	admin, err := pgx.Connect(context.Background(), b.tdb.AdminURL)
	require.NoError(t, err)
	defer admin.Close(context.Background())
	_, err = admin.Exec(context.Background(), `UPDATE river_job SET state = 'running', attempted_at = now() WHERE kind = 'sync_connection'`)
	require.NoError(t, err)

	hx := http.Header{"HX-Request": {"true"}, "X-Csrf-Token": {c.CSRF}}
	r := c.PostRaw(path+"/sync", url.Values{}, hx)
	require.Equal(t, http.StatusOK, r.StatusCode)
	require.Equal(t, "Sync queued.", r.Doc(t).Find(`[data-testid="sync-message"]`).Text())
	require.Equal(t, 2, jobCount(t, b))
	var queued int
	require.NoError(t, b.tdb.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM river_job WHERE kind = 'sync_connection' AND state = 'available' AND args->>'trigger' = 'manual'`).Scan(&queued))
	require.Equal(t, 1, queued)

	// A second press finds that sync queued.
	r = c.PostRaw(path+"/sync", url.Values{}, hx)
	require.Equal(t, "A sync of this connection is already queued or running.", r.Doc(t).Find(`[data-testid="sync-message"]`).Text())
	require.Equal(t, 2, jobCount(t, b))
}
