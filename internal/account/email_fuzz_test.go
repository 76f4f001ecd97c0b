package account_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/account"
)

// FuzzNormalizeEmail feeds the email parser behind the invitation form and
// `attest user create`: it never panics, and an accepted address is
// storable text (valid UTF-8, no NUL), trimmed, lower-case and at most 254
// bytes.
func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"auditor@example.com", " Auditor@Example.COM ", "a\x00@b.test", "a@b.test\x00", "\xff@b.test",
		"a@\xc3\x28.test", "\"a b\"@c.test", "<a@b.test>", "A <a@b.test>", strings.Repeat("a", 250) + "@b.test", "ü@b.test", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		email, err := account.NormalizeEmail(raw)
		if err != nil {
			return
		}
		require.True(t, utf8.ValidString(email), "%q", email)
		require.False(t, strings.ContainsRune(email, 0), "%q", email)
		require.LessOrEqual(t, len(email), 254)
		require.Equal(t, strings.ToLower(strings.TrimSpace(email)), email)
		require.Contains(t, email, "@")
	})
}
