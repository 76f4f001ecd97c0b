package secret

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
)

const plain = "hunter2-refresh-token"

type credential struct {
	ClientID string
	Token    String
}

// requireRedacted checks that out shows the redaction marker and no form of
// the plaintext (raw or hex, which %x would produce).
func requireRedacted(t *testing.T, out string) {
	t.Helper()
	require.Contains(t, out, redacted)
	require.NotContains(t, out, plain)
	require.NotContains(t, out, hex.EncodeToString([]byte(plain)))
}

func TestNewRevealIsZero(t *testing.T) {
	t.Parallel()

	s := New(plain)
	require.Equal(t, plain, s.Reveal())
	require.False(t, s.IsZero())

	var zero String
	require.True(t, zero.IsZero())
	require.Empty(t, zero.Reveal())
	require.True(t, New("").IsZero())
	require.Equal(t, redacted, zero.String(), "the zero value prints like any other secret")
}

func TestFmtVerbs(t *testing.T) {
	t.Parallel()

	s := New(plain)
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10s", "%-20v", "%d"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()

			requireRedacted(t, fmt.Sprintf(format, s))
			requireRedacted(t, fmt.Sprintf(format, &s))
			requireRedacted(t, fmt.Sprintf(format, credential{ClientID: "app", Token: s}))
			requireRedacted(t, fmt.Sprintf(format, []String{s}))
			requireRedacted(t, fmt.Sprintf(format, map[string]String{"token": s}))
		})
	}
	require.Equal(t, redacted, s.String())
	require.Equal(t, redacted, s.GoString())
	requireRedacted(t, fmt.Sprint(s))
	requireRedacted(t, fmt.Sprintln(s))
}

func TestSlogHandlers(t *testing.T) {
	t.Parallel()

	for name, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()

			var buf bytes.Buffer
			logger := slog.New(newHandler(&buf))
			s := New(plain)

			logger.Info("direct", "token", s)
			logger.Info("attr", slog.Any("token", s))
			logger.Info("pointer", slog.Any("token", &s))
			logger.Info("nested", slog.Any("credential", credential{ClientID: "app", Token: s}))
			logger.Info("nested pointer", slog.Any("credential", &credential{ClientID: "app", Token: s}))
			logger.Info("group", slog.Group("oauth", slog.Any("token", s)))
			logger.With("token", s).Info("with")

			out := buf.String()
			requireRedacted(t, out)
			require.Contains(t, out, "app")
		})
	}
}

func TestJSONMarshal(t *testing.T) {
	t.Parallel()

	s := New(plain)

	out, err := json.Marshal(credential{ClientID: "app", Token: s})
	require.NoError(t, err)
	require.JSONEq(t, `{"ClientID":"app","Token":"[redacted]"}`, string(out))

	out, err = json.Marshal(map[string]any{"token": s, "ptr": &s, "list": []String{s}})
	require.NoError(t, err)
	requireRedacted(t, string(out))

	text, err := s.MarshalText()
	require.NoError(t, err)
	require.Equal(t, redacted, string(text))
}

func TestDecodingIsRejected(t *testing.T) {
	t.Parallel()

	var c credential
	err := json.Unmarshal([]byte(`{"ClientID":"app","Token":"smuggled"}`), &c)
	require.Error(t, err)
	require.True(t, c.Token.IsZero())

	var s String
	require.Error(t, json.Unmarshal([]byte(`"smuggled"`), &s))
	require.True(t, s.IsZero())
}
