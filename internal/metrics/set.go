package metrics

import (
	"log/slog"
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/attesthq/attest/internal/clock"
)

// Options are what the scrape-time gauges read.
type Options struct {
	// Pool is the application pool: its statistics are reported, and the
	// state gauges are queried through it.
	Pool *pgxpool.Pool
	// Clock decides which connections count as stale.
	Clock clock.Clock
	// Log receives scrape failures.
	Log *slog.Logger
	// ConnectionStates are the connection health words the connections
	// gauge always reports, zero or not (connection.Healths: this package
	// sits below the domain packages and imports none of them).
	ConnectionStates []string
}

// Set is attest's series on their own registry.
type Set struct {
	registry *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec

	syncs        *prometheus.CounterVec
	syncDuration *prometheus.HistogramVec

	providerRequests  *prometheus.CounterVec
	providerThrottled *prometheus.CounterVec
	providerRetries   *prometheus.CounterVec

	evidenceIngested     *prometheus.CounterVec
	evidenceDeduplicated *prometheus.CounterVec

	jobOutcomes *prometheus.CounterVec

	orgJobFailures *prometheus.CounterVec
}

// New builds the series, registers them with the Go runtime and process
// collectors, and with the scrape-time gauges when o names a pool.
func New(o Options) *Set {
	s := &Set{
		registry: prometheus.NewRegistry(),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "attest_http_requests_total", Help: "HTTP requests answered, by method, route pattern and status code.",
		}, []string{"method", "route", "status"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "attest_http_request_duration_seconds", Help: "Time to answer an HTTP request, by method and route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"method", "route"}),
		syncs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "attest_syncs_total", Help: "Finished syncs, by connector and outcome (succeeded, partial, failed).",
		}, []string{"connector", "outcome"}),
		syncDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "attest_sync_duration_seconds", Help: "Time one sync took, by connector and outcome.",
			Buckets: []float64{1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800},
		}, []string{"connector", "outcome"}),
		providerRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "attest_provider_requests_total", Help: "Requests sent to a connector's provider, by connector and rate-limit family.",
		}, []string{"connector", "family"}),
		providerThrottled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "attest_provider_throttled_total", Help: "Throttling answers (429, or a rate-limit 403) from a connector's provider, by connector and rate-limit family.",
		}, []string{"connector", "family"}),
		providerRetries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "attest_provider_retries_total", Help: "Provider requests retried after a throttle, a server error or a network failure, by connector and rate-limit family.",
		}, []string{"connector", "family"}),
		evidenceIngested: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "attest_evidence_ingested_total", Help: "Evidence rows stored (new fingerprints), by connector and dataset.",
		}, []string{"connector", "dataset"}),
		evidenceDeduplicated: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "attest_evidence_deduplicated_total", Help: "Records received that matched a stored fingerprint and made no new row, by connector and dataset.",
		}, []string{"connector", "dataset"}),
		jobOutcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "attest_river_job_outcomes_total", Help: "River jobs this process finished working, by queue, kind and outcome (completed, retryable, discarded, cancelled, snoozed).",
		}, []string{"queue", "kind", "outcome"}),
		orgJobFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "attest_org_job_failures_total", Help: "Organizations a periodic job that walks every organization could not process (the walk went on), by job kind.",
		}, []string{"kind"}),
	}
	s.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		s.httpRequests, s.httpDuration, s.syncs, s.syncDuration,
		s.providerRequests, s.providerThrottled, s.providerRetries,
		s.evidenceIngested, s.evidenceDeduplicated, s.jobOutcomes, s.orgJobFailures,
	)
	if o.Pool != nil {
		if o.Clock == nil {
			o.Clock = clock.Real{}
		}
		if o.Log == nil {
			o.Log = slog.New(slog.DiscardHandler)
		}
		s.registry.MustRegister(newStateCollector(o), newPoolCollector(o.Pool))
	}
	return s
}

// Handler serves the registry in the Prometheus text format. A gauge that
// cannot be read is left out (and logged by its collector) rather than
// failing the whole scrape.
func (s *Set) Handler() http.Handler {
	return promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// Registry is the set's registry, for tests that gather directly.
func (s *Set) Registry() *prometheus.Registry { return s.registry }
