package export_test

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/export"
)

var userKind = connector.EvidenceKind{Kind: "entra.user", Criteria: []string{"CC6.1", "CC6.2"},
	Fields: []string{"displayName", "accountEnabled", "groups", "score"}}

func TestColumnsAreFixedThenTyped(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"organization", "connection", "kind", "subject", "observed_at", "collected_at", "fingerprint",
		"criteria", "displayName", "accountEnabled", "groups", "score"}, export.Columns(userKind))
}

func TestCSVWritesRecordsInert(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w, err := export.NewCSV(&buf, "acme", userKind)
	require.NoError(t, err)
	at := time.Date(2026, 11, 2, 9, 30, 0, 123000000, time.FixedZone("CET", 3600))
	require.NoError(t, w.Write(export.Row{Connection: []byte("Contoso, \"prod\""), Kind: []byte("entra.user"), Subject: []byte("-1+cmd|' /C calc'!A0"),
		ObservedAt: at, CollectedAt: at.Add(time.Minute), Fingerprint: []byte{0xAB, 0x01},
		Payload: []byte(`{"displayName":"=HYPERLINK(\"http://evil.test\",\"x\")","accountEnabled":true,"groups":["a","b"],"score":-3}`)}))
	require.NoError(t, w.Write(export.Row{Kind: []byte("entra.user"), Subject: []byte("second\nline"), Payload: []byte(`{}`)}))
	require.NoError(t, w.Flush())
	require.Equal(t, 2, w.Rows())

	raw := buf.String()
	require.NotEqual(t, "\uFEFF", raw[:3], "no byte-order mark")
	require.Contains(t, raw, "score\r\n", "CRLF line ends")
	records, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, 3)
	require.Equal(t, export.Columns(userKind), records[0])
	require.Equal(t, []string{"acme", "Contoso, \"prod\"", "entra.user", "'-1+cmd|' /C calc'!A0",
		"2026-11-02T08:30:00.123Z", "2026-11-02T08:31:00.123Z", "ab01", "CC6.1; CC6.2",
		"'=HYPERLINK(\"http://evil.test\",\"x\")", "true", "a; b", "-3"}, records[1])
	require.Equal(t, "second\nline", records[2][3])
}
