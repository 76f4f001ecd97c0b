// Package components holds small reusable view pieces: times, chips, empty
// states, pagination, form fields.
package components

import (
	"fmt"
	"math"
	"time"
)

// Relative describes t relative to now in words ("3 minutes ago", "in 2 hours").
func Relative(t, now time.Time) string {
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	var s string
	switch {
	case d < 45*time.Second:
		return "just now"
	case d < 90*time.Second:
		s = "1 minute"
	case d < 45*time.Minute:
		s = fmt.Sprintf("%d minutes", int(math.Round(d.Minutes())))
	case d < 90*time.Minute:
		s = "1 hour"
	case d < 22*time.Hour:
		s = fmt.Sprintf("%d hours", int(math.Round(d.Hours())))
	case d < 36*time.Hour:
		s = "1 day"
	case d < 26*24*time.Hour:
		s = fmt.Sprintf("%d days", int(math.Round(d.Hours()/24)))
	case d < 45*24*time.Hour:
		s = "1 month"
	case d < 320*24*time.Hour:
		s = fmt.Sprintf("%d months", int(math.Round(d.Hours()/24/30)))
	default:
		s = fmt.Sprintf("%d years", max(1, int(math.Round(d.Hours()/24/365))))
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

// Exact formats t for the hover title and exports: UTC, to the second.
func Exact(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }
