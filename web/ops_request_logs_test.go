package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// logLines parses the captured JSON log, one record a line.
func logLines(t *testing.T, b *bundle) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.logs.String()), "\n") {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		lines = append(lines, rec)
	}
	return lines
}

// linesOf are the log records carrying a request id.
func linesOf(lines []map[string]any, requestID string) []map[string]any {
	var out []map[string]any
	for _, rec := range lines {
		if rec["request_id"] == requestID {
			out = append(out, rec)
		}
	}
	return out
}

func TestEveryRequestLogLineCarriesTheRequestID(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.accounts.MakeOperator(context.Background(), b.tdb.URL, b.hasher, operatorEmail, operatorPassword)
	require.NoError(t, err)

	// A service deep below the handler logs with the request's context.
	c := b.client(t)
	c.Get("/login")
	login := c.Post("/login", map[string][]string{"email": {operatorEmail}, "password": {operatorPassword}})
	require.Equal(t, http.StatusSeeOther, login.StatusCode)
	loginID := login.Header.Get("X-Request-ID")
	require.Len(t, loginID, 16)

	// A request that fails with 500: the page shows the id, the log has
	// the cause under the same id.
	owner := b.owner(t)
	conn, err := pgx.Connect(context.Background(), b.tdb.AdminURL)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	_, err = conn.Exec(context.Background(), `ALTER TABLE audit_heads RENAME TO audit_heads_moved`)
	require.NoError(t, err)
	failed := owner.Get("/o/acme/audit")
	require.Equal(t, http.StatusInternalServerError, failed.StatusCode)
	ref := strings.TrimSpace(failed.Doc(t).Find(`[data-testid="request-id"]`).Text())
	require.Len(t, ref, 16)
	require.Equal(t, ref, failed.Header.Get("X-Request-ID"))

	lines := logLines(t, b)
	for _, rec := range lines {
		id, _ := rec["request_id"].(string)
		require.Len(t, id, 16, "a log line without its request id: %v", rec)
	}

	signedIn := linesOf(lines, loginID)
	msgs := make([]any, 0, len(signedIn))
	for _, rec := range signedIn {
		msgs = append(msgs, rec["msg"])
	}
	require.ElementsMatch(t, []any{"operator signed in", "http request"}, msgs)

	var sawCause, sawAccess bool
	for _, rec := range linesOf(lines, ref) {
		switch rec["msg"] {
		case "request failed":
			sawCause = true
			require.Equal(t, "ERROR", rec["level"])
			require.Equal(t, "/o/:org/audit", rec["route"])
			require.Contains(t, rec["err"], "audit_heads")
		case "http request":
			sawAccess = true
			require.EqualValues(t, http.StatusInternalServerError, rec["status"])
		}
	}
	require.True(t, sawCause, "the error line carries the reference shown on the page")
	require.True(t, sawAccess, "the access line carries the reference shown on the page")
}
