package web

import (
	"strings"

	"cmp"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/internal/orgview"
	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/pages/dashboard"
)

const (
	// dashboardAlerts is how many open alerts the alerts card lists.
	dashboardAlerts = 5
	// attentionShown is how many items the "needs attention" list shows
	// before "Show more".
	attentionShown = 10
)

// dashboardShow is the organization's landing page: what needs attention,
// coverage, controls by state and category, connection health, open alerts
// and the trend. ?state= narrows the control tiles to one state and
// ?sort=state puts those needing work first.
func (s *Server) dashboardShow(c echo.Context) error {
	now := s.Clock.Now()
	view := tileViewOf(c)
	v, report, err := s.orgView(c, now, nil)
	if err != nil {
		return err
	}
	conns, open := v.Connections, v.Alerts
	d := dashboard.Dashboard{
		Page: s.page(c, "Dashboard", "dashboard"), Coverage: components.Percent(report.Coverage),
		CoverageURL: orgPath(c, "/controls"), Passing: report.Counts[coverage.Passing], InScope: report.InScope,
		NotApplicable: report.Counts[coverage.NotApplicable],
		ConnectURL:    orgPath(c, "/integrations"), Offer: s.connectorOffer(), AlertsURL: orgPath(c, "/alerts"), RefreshURL: view.url(c),
		Filters: view.filters(c, report), Sorts: view.sorts(c), OpenAlerts: len(open), CanWrite: account.CanWrite(currentRole(c)),
	}
	// Shared by the requests of its span: cut below on a copy of the header.
	d.Attention = v.Derived("attention", now, func() any {
		return needsAttention(c, attentionInput{report: report, conns: conns, documents: v.Documents, alerts: open, now: now})
	}).([]dashboard.Attention)
	if more := len(d.Attention) - attentionShown; more > 0 && !view.allAttention {
		all := view
		all.allAttention = true
		d.Attention, d.AttentionMore, d.AttentionAllURL = d.Attention[:attentionShown], more, all.url(c)
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
	for _, a := range open[:min(len(open), dashboardAlerts)] {
		d.Alerts = append(d.Alerts, dashboard.AlertRow{Kind: a.Kind, Title: a.Title, Message: a.Message, OpenedAt: a.OpenedAt, URL: orgPath(c, "/alerts")})
	}
	d.Chart = coverageChart(v.Snapshots, report, now)
	d.Categories = categoryGroups(c, report, view)
	if fragmentRequest(c) {
		return s.render(c, http.StatusOK, dashboard.Panels(d))
	}
	return s.render(c, http.StatusOK, dashboard.Page(d))
}

// coverageChart is the daily snapshots with today's live value last.
func coverageChart(trend []orgview.Snapshot, report coverage.Report, now time.Time) components.Chart {
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

// categoryGroups arranges the controls by category and series, keeping only
// those the view shows; ordered by state, a category's tiles are one list,
// those needing work first.
func categoryGroups(c echo.Context, report coverage.Report, view tileView) []dashboard.CategoryGroup {
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
			if view.state != "" && ctl.Status != view.state {
				continue
			}
			series := dashboard.SeriesGroup{Key: ctl.Series, Name: ctl.Series + " · " + coverage.Series[ctl.Series]}
			if view.byState {
				series = dashboard.SeriesGroup{Key: cat.Key}
			}
			if len(g.Series) == 0 || g.Series[len(g.Series)-1].Key != series.Key {
				g.Series = append(g.Series, series)
			}
			sg := &g.Series[len(g.Series)-1]
			sg.Controls = append(sg.Controls, dashboard.ControlTile{ID: ctl.ID, Summary: ctl.Summary, Status: ctl.Status,
				Evidence: ctl.Evidence, Justification: justification(ctl), URL: orgPath(c, "/controls/"+ctl.ID), Newest: ctl.NewestEvidence})
		}
		if view.byState {
			for i := range g.Series {
				slices.SortStableFunc(g.Series[i].Controls, func(a, b dashboard.ControlTile) int {
					return cmp.Compare(slices.Index(needsWorkFirst, a.Status), slices.Index(needsWorkFirst, b.Status))
				})
			}
		}
		if len(g.Series) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// connectorOffer names each connector with the criteria its evidence
// supports, for an organization with nothing connected yet.
func (s *Server) connectorOffer() []string {
	var out []string
	for _, cn := range s.Connectors.All() {
		d := cn.Definition()
		criteria := d.Criteria()
		slices.Sort(criteria)
		out = append(out, d.Name+" ("+strings.Join(criteria, ", ")+")")
	}
	return out
}
