package metrics

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/alert"
	"github.com/attesthq/attest/internal/clock"
)

var q = dbsqlc.New()

// scrapeTimeout bounds the queries one scrape makes.
const scrapeTimeout = 5 * time.Second

// alertKinds are the label values the alert gauge always carries, so a
// zero is reported as a zero rather than a missing series.
var alertKinds = Labels(alert.ConnectionKinds)

// Labels are words as label values.
func Labels[S ~string](words []S) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = string(w)
	}
	return out
}

// stateCollector reads the platform's state when scraped: connections by
// health and open alerts (summed over every organization by system_counts),
// and River's queue depth.
type stateCollector struct {
	pool             *pgxpool.Pool
	clock            clock.Clock
	log              *slog.Logger
	connectionStates []string

	connections, alerts, jobs, up *prometheus.Desc
}

func newStateCollector(o Options) *stateCollector {
	return &stateCollector{
		pool: o.Pool, clock: o.Clock, log: o.Log, connectionStates: o.ConnectionStates,
		connections: prometheus.NewDesc("attest_connections", "Live connections by health: fresh, awaiting (first sync), stale, needs_reauth, failing.", []string{"state"}, nil),
		alerts:      prometheus.NewDesc("attest_alerts_open", "Open alerts by kind.", []string{"kind"}, nil),
		jobs:        prometheus.NewDesc("attest_river_jobs", "Unfinished River jobs (queue depth) by queue and state.", []string{"queue", "state"}, nil),
		up:          prometheus.NewDesc("attest_state_scrape_ok", "1 when the state gauges (connections, alerts, queue depth) could be read at this scrape, 0 when the database failed them.", nil, nil),
	}
}

// Describe sends the gauges' descriptions.
func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.connections
	ch <- c.alerts
	ch <- c.jobs
	ch <- c.up
}

// Collect queries the database and sends the gauges; on failure it logs,
// leaves them out and reports attest_state_scrape_ok 0.
func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	counts, err := q.SystemCountList(ctx, c.pool, c.clock.Now())
	var depth []dbsqlc.JobDepthListRow
	if err == nil {
		depth, err = q.JobDepthList(ctx, c.pool)
	}
	if err != nil {
		c.log.WarnContext(ctx, "metrics: read state gauges", "err", err)
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	series := map[string]map[string]int64{"connections": {}, "alerts_open": {}}
	for _, r := range counts {
		if m, ok := series[r.Series]; ok {
			m[r.Label] = r.N
		}
	}
	c.send(ch, c.connections, c.connectionStates, series["connections"])
	c.send(ch, c.alerts, alertKinds, series["alerts_open"])
	for _, r := range depth {
		ch <- prometheus.MustNewConstMetric(c.jobs, prometheus.GaugeValue, float64(r.Jobs), r.Queue, r.State)
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
}

// send reports every known label (zero when absent) and any other the
// database returned.
func (c *stateCollector) send(ch chan<- prometheus.Metric, desc *prometheus.Desc, known []string, got map[string]int64) {
	for _, k := range known {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(got[k]), k)
		delete(got, k)
	}
	for k, n := range got {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(n), k)
	}
}
