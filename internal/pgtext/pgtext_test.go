package pgtext

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func TestCleanKeepsCleanTextAndReplacesWhatPostgreSQLRefuses(t *testing.T) {
	t.Parallel()
	require.Equal(t, "Zoë Ångström", Clean("Zoë Ångström"))
	require.Equal(t, "a\uFFFDb", Clean("a\x00b"))
	require.Equal(t, "caf\uFFFD", Clean("caf\xc3"))
	require.Equal(t, "\uFFFD", Clean("\xff\xfe"))
}

func TestCutNeverSplitsACharacter(t *testing.T) {
	t.Parallel()
	require.Equal(t, "abc", Cut("abcdef", 3))
	require.Equal(t, "é", Cut("éé", 3), "the second é would be split")
	require.Equal(t, "", Cut("€", 2))
	require.Equal(t, "a\uFFFD", Cut("a\x00bcd", 4))
}

func FuzzCut(f *testing.F) {
	for _, seed := range []string{"", "plain", "\x00", "\xff", "é€😀", "a\x00\xc3(", strings.Repeat("€", 100)} {
		f.Add(seed, 5)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = int(uint(n) % (1 << 16))
		out := Cut(s, n)
		if !utf8.ValidString(out) || strings.IndexByte(out, 0) >= 0 || len(out) > n {
			t.Fatalf("Cut(%q, %d) = %q", s, n, out)
		}
	})
}
