package connection

import (
	"time"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/coverage"
)

// Health is how a live connection's evidence stands: the one rule behind
// the dashboard, the connection pages, the operators' console and the
// metrics. The database's connection_health function (migration 00007),
// which the console and the metrics read through, is tested against it.
type Health string

// The health states, as the database's connection_health names them.
const (
	// HealthNone: a pending or revoked connection has no health.
	HealthNone Health = ""
	// HealthFresh: the last successful sync is within the stale threshold.
	HealthFresh Health = "fresh"
	// HealthAwaiting: connected within the threshold, not yet synced.
	HealthAwaiting Health = "awaiting"
	// HealthStale: no successful sync within the threshold.
	HealthStale Health = "stale"
	// HealthNeedsReauth: the provider refused the stored credentials.
	HealthNeedsReauth Health = "needs_reauth"
	// HealthFailing: the latest syncs failed.
	HealthFailing Health = "failing"
)

// Healths lists the health states in display order.
var Healths = []Health{HealthFresh, HealthAwaiting, HealthStale, HealthNeedsReauth, HealthFailing}

// healthLabels are the states' words for people.
var healthLabels = map[Health]string{
	HealthFresh: "Fresh", HealthAwaiting: "Awaiting first sync", HealthStale: "Stale",
	HealthNeedsReauth: "Needs re-authorization", HealthFailing: "Failing",
}

// Label is the state's words for people (the key itself for an unknown one).
func (h Health) Label() string {
	if l, ok := healthLabels[h]; ok {
		return l
	}
	return string(h)
}

// HealthFacts are what a connection's health depends on.
type HealthFacts struct {
	Status                                connector.Status
	DeletedAt, ConnectedAt, LastSuccessAt *time.Time
	Failures                              int32
	StaleAfter                            time.Duration
}

// HealthOf is a connection's health at now.
func HealthOf(conn dbsqlc.Connection, now time.Time) Health {
	return HealthFacts{Status: connector.Status(conn.Status), DeletedAt: conn.DeletedAt, ConnectedAt: conn.ConnectedAt,
		LastSuccessAt: conn.LastSuccessAt, Failures: conn.ConsecutiveFailures,
		StaleAfter: time.Duration(conn.StaleAfterSeconds) * time.Second}.At(now)
}

// At is the health at now; HealthNone for a pending or revoked connection.
func (f HealthFacts) At(now time.Time) Health {
	switch {
	case f.DeletedAt != nil || f.Status == connector.StatusPending: // a revoked connection is deleted
		return HealthNone
	case f.Status == connector.StatusNeedsReauth:
		return HealthNeedsReauth
	case f.Failures > 0:
		return HealthFailing
	case f.LastSuccessAt == nil && f.ConnectedAt != nil && coverage.FreshnessOf(f.ConnectedAt, f.StaleAfter, now) == coverage.Fresh:
		return HealthAwaiting
	case coverage.FreshnessOf(f.LastSuccessAt, f.StaleAfter, now) != coverage.Fresh:
		return HealthStale
	}
	return HealthFresh
}
