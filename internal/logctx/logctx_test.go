package logctx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/logctx"
)

func TestContextAttributesReachEveryDerivedLogger(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	h := logctx.Handler(slog.NewJSONHandler(&buf, nil))
	require.Equal(t, h, logctx.Handler(h), "wrapping twice adds nothing")
	log := slog.New(h)

	ctx := logctx.With(context.Background(), slog.String("request_id", "abc123"))
	ctx = logctx.With(ctx, slog.String("job", "sync"))
	log.InfoContext(ctx, "plain")
	log.With("service", "auth").WithGroup("detail").InfoContext(ctx, "derived", "k", "v")
	log.InfoContext(context.Background(), "outside a request")

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 3)
	var recs []map[string]any
	for _, l := range lines {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &rec))
		recs = append(recs, rec)
	}
	require.Equal(t, "abc123", recs[0]["request_id"])
	require.Equal(t, "sync", recs[0]["job"])
	require.Equal(t, "auth", recs[1]["service"])
	require.Equal(t, "abc123", recs[1]["detail"].(map[string]any)["request_id"], "inside the group, as slog places record attributes")
	require.NotContains(t, recs[2], "request_id")
}
