package metrics

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// poolCollector reports the application connection pool's statistics.
type poolCollector struct {
	pool *pgxpool.Pool

	conns, max, acquires, emptyAcquires, acquireWait *prometheus.Desc
}

func newPoolCollector(pool *pgxpool.Pool) *poolCollector {
	return &poolCollector{
		pool:          pool,
		conns:         prometheus.NewDesc("attest_db_pool_connections", "Application pool connections by state: acquired (in use), idle, constructing.", []string{"state"}, nil),
		max:           prometheus.NewDesc("attest_db_pool_max_connections", "The application pool's size limit (ATTEST_DB_MAX_CONNS).", nil, nil),
		acquires:      prometheus.NewDesc("attest_db_pool_acquires_total", "Connections acquired from the pool.", nil, nil),
		emptyAcquires: prometheus.NewDesc("attest_db_pool_empty_acquires_total", "Acquires that had to wait because no idle connection was available.", nil, nil),
		acquireWait:   prometheus.NewDesc("attest_db_pool_acquire_wait_seconds_total", "Time spent waiting for a pool connection.", nil, nil),
	}
}

// Describe sends the descriptions.
func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.conns, c.max, c.acquires, c.emptyAcquires, c.acquireWait} {
		ch <- d
	}
}

// Collect reads pgxpool.Stat.
func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.pool.Stat()
	ch <- prometheus.MustNewConstMetric(c.conns, prometheus.GaugeValue, float64(st.AcquiredConns()), "acquired")
	ch <- prometheus.MustNewConstMetric(c.conns, prometheus.GaugeValue, float64(st.IdleConns()), "idle")
	ch <- prometheus.MustNewConstMetric(c.conns, prometheus.GaugeValue, float64(st.ConstructingConns()), "constructing")
	ch <- prometheus.MustNewConstMetric(c.max, prometheus.GaugeValue, float64(st.MaxConns()))
	ch <- prometheus.MustNewConstMetric(c.acquires, prometheus.CounterValue, float64(st.AcquireCount()))
	ch <- prometheus.MustNewConstMetric(c.emptyAcquires, prometheus.CounterValue, float64(st.EmptyAcquireCount()))
	ch <- prometheus.MustNewConstMetric(c.acquireWait, prometheus.CounterValue, st.AcquireDuration().Seconds())
}
