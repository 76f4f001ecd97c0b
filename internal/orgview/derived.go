package orgview

import (
	"time"
)

// derived is a value computed from a view at some time, with the span of
// times over which it stays exact.
type derived struct {
	from, until time.Time
	value       any
}

// Derived returns what compute derives from the view at now, computed
// again only when now leaves the span in which every time-dependent
// judgement on the view's rows is what it was when the kept value was
// computed (see span). compute must depend on nothing but the view, now and
// what key names.
func (v *View) Derived(key string, now time.Time, compute func() any) any {
	v.mu.Lock()
	d, ok := v.derived[key]
	v.mu.Unlock()
	if ok && !now.Before(d.from) && !now.After(d.until) {
		return d.value
	}
	from, until := v.span(now)
	d = derived{from: from, until: until, value: compute()}
	v.mu.Lock()
	if v.derived == nil {
		v.derived = map[string]derived{}
	}
	v.derived[key] = d
	v.mu.Unlock()
	return d.value
}

// span is the longest span of times around now over which every judgement
// of time on the view's rows is unchanged: each connection's freshness
// (coverage.FreshnessOf of its connection time and last success against
// its stale threshold, on which coverage and connection health rest) and,
// the view being of one day, every judgement by day (documents' review
// dates). Evidence is fresh through lastSuccess+staleAfter and stale after
// it, so each such instant ends or starts the span.
func (v *View) span(now time.Time) (from, until time.Time) {
	from, until = v.Day, v.Day.Add(24*time.Hour-time.Nanosecond)
	edge := func(t *time.Time, staleAfterSeconds int32) {
		if t == nil {
			return
		}
		freshThrough := t.Add(time.Duration(staleAfterSeconds) * time.Second)
		switch {
		case !now.After(freshThrough) && freshThrough.Before(until):
			until = freshThrough
		case now.After(freshThrough) && !freshThrough.Before(from):
			from = freshThrough.Add(time.Nanosecond)
		}
	}
	for _, c := range v.Connections {
		edge(c.ConnectedAt, c.StaleAfterSeconds)
		edge(c.LastSuccessAt, c.StaleAfterSeconds)
	}
	for _, c := range v.Coverage.Checks {
		edge(c.LastSuccessAt, c.StaleAfterSeconds)
	}
	return from, until
}
