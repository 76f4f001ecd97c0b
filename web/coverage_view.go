package web

import (
	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
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
