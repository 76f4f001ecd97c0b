package web

import (
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/coverage"
)

// loadCoverage computes the organization's coverage, with fn running in the
// same transaction for whatever else the page reads.
func (s *Server) loadCoverage(c echo.Context, fn func(tx pgx.Tx) error) (coverage.Report, error) {
	org := currentOrg(c)
	ctx := c.Request().Context()
	var report coverage.Report
	err := db.InOrg(ctx, s.Pool, org.ID, func(tx pgx.Tx) error {
		in, err := coverage.Load(ctx, tx, org, s.Connectors, s.Clock.Now())
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

// healthOf classifies a live connection; pending and revoked ones have none.
func healthOf(conn dbsqlc.Connection, now time.Time) string {
	switch {
	case conn.DeletedAt != nil || conn.Status == "pending":
		return ""
	case conn.Status == "needs_reauth":
		return healthNeedsReauth
	case conn.ConsecutiveFailures > 0:
		return healthFailing
	case conn.LastSuccessAt == nil && conn.ConnectedAt != nil && coverage.FreshnessOf(conn.ConnectedAt, staleAfter(conn), now) == coverage.Fresh:
		return healthAwaiting
	case coverage.FreshnessOf(conn.LastSuccessAt, staleAfter(conn), now) != coverage.Fresh:
		return healthStale
	}
	return healthFresh
}
