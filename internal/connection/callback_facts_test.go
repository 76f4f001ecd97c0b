package connection

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestConsentCallbackRecordsABoundedSetOfItsParameters: whoever holds a
// valid state cannot flood the audit log through the consent callback's
// query string, and the state never lands in it.
func TestConsentCallbackRecordsABoundedSetOfItsParameters(t *testing.T) {
	t.Parallel()
	params := url.Values{"state": {"secret-state"}, "code": {"c"}, "admin_consent": {"True"}}
	for i := range 100 {
		params.Set("p"+strconv.Itoa(i), strings.Repeat("x", 5000))
	}
	facts := callbackFacts(params)
	require.Len(t, facts, maxCallbackFacts)
	require.Equal(t, "True", facts["admin_consent"])
	require.NotContains(t, facts, "state")
	require.NotContains(t, facts, "code")
	for _, v := range facts {
		require.LessOrEqual(t, len(v), 200)
	}
}
