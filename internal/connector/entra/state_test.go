package entra

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestUserFactsKeepTheUTCDayAndTheInactivity: the day kept for a user
// gives back the date the times themselves gave, before 1970 and across
// zones included, and inactivity is judged on the exact time.
func TestUserFactsKeepTheUTCDayAndTheInactivity(t *testing.T) {
	t.Parallel()
	threshold := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, at := range []time.Time{
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 5, 31, 23, 30, 0, 0, time.FixedZone("EST", -5*3600)),
		threshold.Add(-time.Nanosecond),
		threshold,
	} {
		never := newUserFacts("u@contoso.com", true, true, at, nil, threshold)
		require.False(t, never.signedIn)
		require.Equal(t, at.UTC().Format(time.DateOnly), never.date(), at)
		require.Equal(t, at.Before(threshold), never.inactive, at)
		last := at
		signed := newUserFacts("u@contoso.com", true, true, threshold.AddDate(-5, 0, 0), &last, threshold)
		require.True(t, signed.signedIn)
		require.Equal(t, at.UTC().Format(time.DateOnly), signed.date(), at)
		require.Equal(t, at.Before(threshold), signed.inactive, at)
	}
	require.Empty(t, newUserFacts("off@contoso.com", false, true, threshold, nil, threshold).label, "no check names a disabled user")
}
