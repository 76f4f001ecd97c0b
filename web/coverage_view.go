package web

import (
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/coverage"
)

// loadCoverage computes the organization's coverage of criteria (nil: all
// in its scope), with fn running in the same transaction for whatever else
// the page reads.
func (s *Server) loadCoverage(c echo.Context, criteria []coverage.Criterion, fn func(tx pgx.Tx) error) (coverage.Report, error) {
	org := currentOrg(c)
	ctx := c.Request().Context()
	var report coverage.Report
	err := db.InOrg(ctx, s.Pool, org.ID, func(tx pgx.Tx) error {
		if criteria == nil {
			criteria = coverage.OrgScope(org)
		}
		in, err := coverage.Load(ctx, tx, s.Connectors, s.Clock.Now(), criteria)
		if err != nil {
			return err
		}
		report = coverage.Compute(in)
		if fn != nil {
			return fn(tx)
		}
		return nil
	})
	return report, err
}

// connection health states, in display order.
const (
	healthFresh       = "fresh"
	healthAwaiting    = "awaiting"
	healthStale       = "stale"
	healthNeedsReauth = "needs_reauth"
	healthFailing     = "failing"
)

var healthStates = []struct{ key, label string }{
	{healthFresh, "Fresh"}, {healthAwaiting, "Awaiting first sync"}, {healthStale, "Stale"}, {healthNeedsReauth, "Needs re-authorization"}, {healthFailing, "Failing"},
}

// connHealth is what a connection's health depends on.
type connHealth struct {
	Status                                string
	DeletedAt, ConnectedAt, LastSuccessAt *time.Time
	Failures                              int32
	StaleAfter                            time.Duration
}

// healthOf classifies a live connection; pending and revoked ones have none.
func healthOf(conn dbsqlc.Connection, now time.Time) string {
	return connHealth{Status: conn.Status, DeletedAt: conn.DeletedAt, ConnectedAt: conn.ConnectedAt, LastSuccessAt: conn.LastSuccessAt,
		Failures: conn.ConsecutiveFailures, StaleAfter: staleAfter(conn)}.at(now)
}

// at is the health at now.
func (h connHealth) at(now time.Time) string {
	switch {
	case h.DeletedAt != nil || h.Status == "pending":
		return ""
	case h.Status == "needs_reauth":
		return healthNeedsReauth
	case h.Failures > 0:
		return healthFailing
	case h.LastSuccessAt == nil && h.ConnectedAt != nil && coverage.FreshnessOf(h.ConnectedAt, h.StaleAfter, now) == coverage.Fresh:
		return healthAwaiting
	case coverage.FreshnessOf(h.LastSuccessAt, h.StaleAfter, now) != coverage.Fresh:
		return healthStale
	}
	return healthFresh
}
