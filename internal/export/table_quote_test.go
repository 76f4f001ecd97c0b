package export

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// needsQuotes reads eight bytes at a time: every special byte is found at
// every position of cells of every length around the word size.
func TestNeedsQuotesFindsEverySpecialByteAnywhere(t *testing.T) {
	t.Parallel()
	for n := 1; n <= 25; n++ {
		plain := strings.Repeat("aé-+ '\x7f\xff", 4)[:n]
		require.Equal(t, plain[0] == ' ', needsQuotes(plain, false), "%q", plain)
		require.False(t, needsQuotes([]byte(plain), true), "%q", plain)
		for i := range n {
			for _, special := range []byte{',', '"', '\r', '\n'} {
				cell := []byte(plain)
				cell[i] = special
				require.True(t, needsQuotes(cell, true), "%q", cell)
				require.True(t, needsQuotes(string(cell), false), "%q", cell)
			}
		}
	}
}
