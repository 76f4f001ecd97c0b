package web

import (
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/internal/orgview"
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

// orgView is what the organization's dashboard and control pages are built
// from, at the read version the request was admitted with (enterOrg), with
// its coverage of criteria (nil: all in its scope) judged at now. The report
// is shared by the requests its span serves: callers only read it.
func (s *Server) orgView(c echo.Context, now time.Time, criteria []coverage.Criterion) (*orgview.View, coverage.Report, error) {
	version, _ := c.Get(ctxOrgVersion).(int64)
	v, err := s.views.Get(c.Request().Context(), currentOrg(c).ID, version, now)
	if err != nil {
		return nil, coverage.Report{}, err
	}
	key := "coverage"
	if criteria == nil {
		criteria = coverage.OrgScope(currentOrg(c)) // its settings are part of the view's version
	}
	for _, crit := range criteria {
		key += " " + crit.ID
	}
	report := v.Derived(key, now, func() any { return coverage.Compute(v.Coverage.Input(s.Connectors, now, criteria)) }).(coverage.Report)
	return v, report, nil
}
