package coverage

import "time"

// DocumentCurrent reports whether a document due for review on reviewDue
// still counts at now: through the whole of its review day (UTC), and not
// after it. Past it, the document has lapsed, which makes the criteria it
// supports stale exactly like a connection that stopped syncing.
func DocumentCurrent(reviewDue, now time.Time) bool {
	return !now.UTC().Truncate(24 * time.Hour).After(reviewDue.UTC().Truncate(24 * time.Hour))
}
