package coverage

import "time"

// Freshness states of a connection's evidence.
const (
	Fresh = "fresh"
	Stale = "stale"
	Never = "never"
)

// FreshnessOf judges evidence last refreshed by a successful sync at
// lastSuccess against the stale threshold at now.
func FreshnessOf(lastSuccess *time.Time, staleAfter time.Duration, now time.Time) string {
	switch {
	case lastSuccess == nil:
		return Never
	case now.Sub(*lastSuccess) > staleAfter:
		return Stale
	}
	return Fresh
}
