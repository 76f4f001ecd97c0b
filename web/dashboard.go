package web

import (
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/pages/dashboard"
)

// chartDays is how far back the coverage chart looks.
const chartDays = 90

// dashboardShow is the organization's landing page: coverage, controls by
// state and category, connection health, open alerts and the trend.
func (s *Server) dashboardShow(c echo.Context) error {
	now := s.Clock.Now()
	ctx := c.Request().Context()
	var conns []dbsqlc.ConnectionHealthListRow
	var open []dbsqlc.AlertsListRow
	var trend []dbsqlc.CoverageTrendSinceRow
	report, err := s.loadCoverage(c, nil, func(tx pgx.Tx) error {
		var err error
		if conns, err = q.ConnectionHealthList(ctx, tx); err != nil {
			return err
		}
		if open, err = q.AlertsList(ctx, tx, dbsqlc.AlertsListParams{ResolvedSince: now, MaxRows: 5}); err != nil {
			return err
		}
		trend, err = q.CoverageTrendSince(ctx, tx, now.AddDate(0, 0, -chartDays))
		return err
	})
	if err != nil {
		return err
	}
	d := dashboard.Dashboard{
		Page: s.page(c, "Dashboard", "dashboard"), Coverage: components.Percent(report.Coverage),
		CoverageURL: orgPath(c, "/controls"), Passing: report.Counts[coverage.Passing], InScope: report.InScope,
		NotApplicable: report.Counts[coverage.NotApplicable],
		ConnectURL:    orgPath(c, "/integrations"), AlertsURL: orgPath(c, "/alerts"), RefreshURL: orgPath(c, "/"),
	}
	for _, st := range coverage.Statuses {
		d.Counts = append(d.Counts, dashboard.StateCount{Status: st, Count: report.Counts[st], URL: orgPath(c, "/controls?status="+st)})
	}
	health := map[connection.Health]int{}
	for _, conn := range conns {
		h := connection.HealthFacts{Status: connector.Status(conn.Status), ConnectedAt: conn.ConnectedAt, LastSuccessAt: conn.LastSuccessAt,
			Failures: conn.ConsecutiveFailures, StaleAfter: time.Duration(conn.StaleAfterSeconds) * time.Second}.At(now)
		if h != connection.HealthNone {
			health[h]++
			d.Connections++
		}
	}
	for _, h := range connection.Healths {
		d.Health = append(d.Health, dashboard.HealthCount{State: string(h), Label: h.Label(), Count: health[h], URL: orgPath(c, "/connections?health="+string(h))})
	}
	for _, a := range open {
		d.Alerts = append(d.Alerts, dashboard.AlertRow{Kind: a.Kind, Title: a.Title, Message: a.Message, OpenedAt: a.OpenedAt, URL: orgPath(c, "/alerts")})
	}
	d.Chart = coverageChart(trend, report, now)
	d.Categories = categoryGroups(c, report)
	if fragmentRequest(c) {
		return s.render(c, http.StatusOK, dashboard.Panels(d))
	}
	return s.render(c, http.StatusOK, dashboard.Page(d))
}

// coverageChart is the daily snapshots with today's live value last.
func coverageChart(trend []dbsqlc.CoverageTrendSinceRow, report coverage.Report, now time.Time) components.Chart {
	var ch components.Chart
	today := now.UTC().Truncate(24 * time.Hour)
	for _, s := range trend {
		if !s.Day.Before(today) || s.InScope == 0 {
			continue
		}
		ch.Points = append(ch.Points, components.ChartPoint{Day: s.Day, Percent: 100 * float64(s.Passing) / float64(s.InScope)})
	}
	ch.Points = append(ch.Points, components.ChartPoint{Day: today, Percent: 100 * report.Coverage})
	return ch
}

// categoryGroups arranges the controls by category and series.
func categoryGroups(c echo.Context, report coverage.Report) []dashboard.CategoryGroup {
	var out []dashboard.CategoryGroup
	for _, cat := range coverage.Categories {
		g := dashboard.CategoryGroup{Key: cat.Key, Name: cat.Name}
		for _, ctl := range report.Controls {
			if ctl.Category != cat.Key {
				continue
			}
			if ctl.Status != coverage.NotApplicable {
				g.Total++
			}
			if ctl.Status == coverage.Passing {
				g.Passing++
			}
			if len(g.Series) == 0 || g.Series[len(g.Series)-1].Key != ctl.Series {
				g.Series = append(g.Series, dashboard.SeriesGroup{Key: ctl.Series, Name: ctl.Series + " · " + coverage.Series[ctl.Series]})
			}
			sg := &g.Series[len(g.Series)-1]
			sg.Controls = append(sg.Controls, dashboard.ControlTile{ID: ctl.ID, Summary: ctl.Summary, Status: ctl.Status,
				Evidence: ctl.Evidence, Justification: justification(ctl), URL: orgPath(c, "/controls/"+ctl.ID), Newest: ctl.NewestEvidence})
		}
		if len(g.Series) > 0 {
			out = append(out, g)
		}
	}
	return out
}
