// Package components holds small reusable view pieces: times, chips, empty
// states, pagination, form fields.
package components

import (
	"fmt"
	"math"
	"time"
)

// The display formats of times. Every page shows a moment as Absolute, a
// calendar day as Day, and a form input's date as ISODate; exports keep
// RFC 3339, which is a machine format, not a display one.
const (
	absoluteLayout = "2 Jan 2006, 15:04 UTC"
	dayLayout      = "2 Jan 2006"
)

// Absolute formats a moment the one way pages show it: "4 Dec 2026, 10:17 UTC".
func Absolute(t time.Time) string { return t.UTC().Format(absoluteLayout) }

// Day formats a calendar day (UTC) for display: "4 Dec 2026".
func Day(t time.Time) string { return t.UTC().Format(dayLayout) }

// ShortDay names a day without its year, for chart axes: "4 Dec".
func ShortDay(t time.Time) string { return t.UTC().Format("2 Jan") }

// ISODate formats a day for date inputs and their bounds: "2026-12-04".
func ISODate(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// MachineTime is the datetime attribute of a <time> element.
func MachineTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// DayRange describes the days from first to last (UTC): a single day reads
// as one day ("4 Dec 2026"), days in one year share it ("1 Dec to 4 Dec
// 2026"), other ranges name both years.
func DayRange(first, last time.Time) string {
	first, last = first.UTC(), last.UTC()
	switch {
	case first.Year() == last.Year() && first.YearDay() == last.YearDay():
		return Day(first)
	case first.Year() == last.Year():
		return ShortDay(first) + " to " + Day(last)
	default:
		return Day(first) + " to " + Day(last)
	}
}

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
