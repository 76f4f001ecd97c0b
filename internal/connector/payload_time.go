package connector

import "time"

// PayloadDay formats t as a date for a record's payload, so a value that
// moves within the day (a last sign-in, a last push) does not make a new
// fingerprint; nil is empty.
func PayloadDay(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// PayloadTime formats t to the second in UTC for a record's payload; nil is
// empty.
func PayloadTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}
