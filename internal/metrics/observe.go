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

// Provider counts one connector's traffic to its provider: it is the
// connector's request observer (pace.Observer).
func (s *Set) Provider(connector string) ProviderCounter {
	return ProviderCounter{set: s, connector: connector}
}

// ProviderCounter counts one connector's requests by rate-limit family.
type ProviderCounter struct {
	set       *Set
	connector string
}

// Request counts a request sent to a rate-limit family.
func (p ProviderCounter) Request(family string) {
	if p.set != nil {
		p.set.providerRequests.WithLabelValues(p.connector, family).Inc()
	}
}

// Throttled counts a throttling answer from a rate-limit family.
func (p ProviderCounter) Throttled(family string) {
	if p.set != nil {
		p.set.providerThrottled.WithLabelValues(p.connector, family).Inc()
	}
}

// Retry counts a request to a rate-limit family about to be retried.
func (p ProviderCounter) Retry(family string) {
	if p.set != nil {
		p.set.providerRetries.WithLabelValues(p.connector, family).Inc()
	}
}
