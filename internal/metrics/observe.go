package metrics

import (
	"net/http"
	"strconv"
	"time"
)

// Stopwatch measures a duration on the monotonic clock. Latencies are taken
// there, not from the application's clock: they are how long this process
// worked, not moments the product reasons about.
type Stopwatch struct{ start time.Time }

// StartStopwatch starts measuring.
func StartStopwatch() Stopwatch { return Stopwatch{start: time.Now()} }

// Elapsed is the time since the stopwatch started.
func (w Stopwatch) Elapsed() time.Duration { return time.Since(w.start) }

// unmatchedRoute labels requests no route matched.
const unmatchedRoute = "unmatched"

// ObserveHTTP counts one answered request. route is the matched pattern
// (echo's c.Path()), never the raw path; methods outside the standard set
// are counted as "other" so a client cannot mint label values.
func (s *Set) ObserveHTTP(method, route string, status int, took time.Duration) {
	if s == nil {
		return
	}
	if route == "" {
		route = unmatchedRoute
	}
	method = knownMethod(method)
	s.httpRequests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	s.httpDuration.WithLabelValues(method, route).Observe(took.Seconds())
}

func knownMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// ObserveSync counts one finished sync of a connector's connection with its
// outcome (succeeded, partial or failed) and how long it took.
func (s *Set) ObserveSync(connector, outcome string, took time.Duration) {
	if s == nil {
		return
	}
	s.syncs.WithLabelValues(connector, outcome).Inc()
	s.syncDuration.WithLabelValues(connector, outcome).Observe(took.Seconds())
}

// ObserveEvidence counts one committed dataset write: received records,
// and how many of them were stored as new rows (the rest matched a stored
// fingerprint).
func (s *Set) ObserveEvidence(connector, dataset string, received, stored int) {
	if s == nil {
		return
	}
	s.evidenceIngested.WithLabelValues(connector, dataset).Add(float64(stored))
	s.evidenceDeduplicated.WithLabelValues(connector, dataset).Add(float64(max(received-stored, 0)))
}

// GraphRequest counts a Microsoft Graph request sent to an endpoint family.
func (s *Set) GraphRequest(family string) {
	if s == nil {
		return
	}
	s.graphRequests.WithLabelValues(family).Inc()
}

// GraphThrottled counts a 429 answer from an endpoint family.
func (s *Set) GraphThrottled(family string) {
	if s == nil {
		return
	}
	s.graphThrottled.WithLabelValues(family).Inc()
}

// GraphRetry counts a request to an endpoint family about to be retried.
func (s *Set) GraphRetry(family string) {
	if s == nil {
		return
	}
	s.graphRetries.WithLabelValues(family).Inc()
}
