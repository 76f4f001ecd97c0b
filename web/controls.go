package web

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/pages/controls"
)

// controlsList lists the controls in scope, filtered by state and category.
func (s *Server) controlsList(c echo.Context) error {
	report, err := s.loadCoverage(c, nil, nil)
	if err != nil {
		return err
	}
	status, category := c.QueryParam("status"), c.QueryParam("category")
	if !slices.Contains(coverage.Statuses, status) {
		status = ""
	}
	link := func(st, cat string) string {
		v := url.Values{}
		if st != "" {
			v.Set("status", st)
		}
		if cat != "" {
			v.Set("category", cat)
		}
		if len(v) == 0 {
			return orgPath(c, "/controls")
		}
		return orgPath(c, "/controls?"+v.Encode())
	}
	l := controls.List{Page: s.page(c, "Controls", "controls"), Coverage: components.Percent(report.Coverage)}
	l.States = append(l.States, controls.Filter{Label: "All", Count: report.InScope, URL: link("", category), On: status == ""})
	for _, st := range coverage.Statuses {
		l.States = append(l.States, controls.Filter{Value: st, Label: components.ControlStatusLabel(st), Count: report.Counts[st], URL: link(st, category), On: status == st})
	}
	l.Categories = append(l.Categories, controls.Filter{Label: "All categories", URL: link(status, ""), On: category == ""})
	for _, cat := range coverage.Categories {
		for _, ctl := range report.Controls {
			if ctl.Category == cat.Key {
				l.Categories = append(l.Categories, controls.Filter{Value: cat.Key, Label: cat.Name, URL: link(status, cat.Key), On: category == cat.Key})
				break
			}
		}
	}
	for _, ctl := range report.Controls {
		if (status != "" && ctl.Status != status) || (category != "" && ctl.Category != category) {
			continue
		}
		l.Rows = append(l.Rows, controls.Row{ID: ctl.ID, Summary: ctl.Summary, Category: ctl.Category, Status: ctl.Status,
			Checks: len(ctl.Checks), Newest: ctl.NewestEvidence, URL: orgPath(c, "/controls/"+ctl.ID)})
	}
	return s.render(c, http.StatusOK, controls.ListPage(l))
}

// controlShow is one control: its criterion, checks and their freshness,
// evidence kinds, exclusions in force and status history.
func (s *Server) controlShow(c echo.Context) error {
	crit, ok := coverage.Find(c.Param("control"))
	if !ok {
		return echo.ErrNotFound
	}
	if !slices.ContainsFunc(coverage.OrgScope(currentOrg(c)), func(x coverage.Criterion) bool { return x.ID == crit.ID }) {
		return echo.NewHTTPError(http.StatusNotFound, crit.ID+" is not in scope: add its category in Settings.")
	}
	ctx := c.Request().Context()
	now := s.Clock.Now()
	var history []dbsqlc.ControlHistorySinceRow
	var exclusions []dbsqlc.CheckExclusion
	report, err := s.loadCoverage(c, []coverage.Criterion{crit}, func(tx pgx.Tx) error {
		var err error
		if history, err = q.ControlHistorySince(ctx, tx, dbsqlc.ControlHistorySinceParams{Since: now.AddDate(0, 0, -chartDays), ControlID: crit.ID}); err != nil {
			return err
		}
		exclusions, err = q.CheckExclusionsActiveForOrg(ctx, tx, now)
		return err
	})
	if err != nil {
		return err
	}
	ctl := &report.Controls[0]
	d := controls.Detail{Page: s.page(c, crit.ID, "controls"), ID: crit.ID, Summary: crit.Summary, Series: coverage.Series[crit.Series],
		Category: categoryName(crit.Category), Status: ctl.Status, ExportURL: orgPath(c, "/evidence/export?control="+url.QueryEscape(crit.ID))}
	checkKeys := map[string]string{}
	for _, chk := range ctl.Checks {
		checkKeys[chk.CheckKey] = chk.CheckTitle
		d.Checks = append(d.Checks, controls.Check{Title: chk.CheckTitle, Connection: chk.ConnectionName, Status: chk.Status,
			Reason: chk.Reason, Failing: chk.Failing, Excluded: chk.Excluded, Fresh: chk.Fresh, LastSuccess: chk.LastSuccess,
			EvaluatedAt: chk.EvaluatedAt, URL: orgPath(c, "/connections/"+chk.ConnectionID.String()+"/checks/"+chk.CheckKey)})
	}
	for _, conn := range s.Connectors.All() {
		for _, k := range conn.Definition().Evidence {
			if slices.Contains(k.Criteria, crit.ID) {
				d.Kinds = append(d.Kinds, controls.Kind{Kind: k.Kind, Title: k.Title, Description: k.Description,
					URL: orgPath(c, "/evidence?kind="+url.QueryEscape(k.Kind))})
			}
		}
	}
	for _, x := range exclusions {
		if title, ok := checkKeys[x.CheckKey]; ok {
			d.Exclusions = append(d.Exclusions, controls.Exclusion{Check: title, Subject: x.SubjectLabel, Reason: x.Reason, ExpiresAt: x.ExpiresAt})
		}
	}
	d.History = controlHistory(history, ctl.Status, now)
	return s.render(c, http.StatusOK, controls.DetailPage(d))
}

// controlHistory is the control's status on each snapshot day, today live.
func controlHistory(history []dbsqlc.ControlHistorySinceRow, today string, now time.Time) []controls.HistoryDay {
	var out []controls.HistoryDay
	day := now.UTC().Truncate(24 * time.Hour)
	for _, h := range history {
		if h.Day.Before(day) {
			out = append(out, controls.HistoryDay{Day: h.Day, Status: h.Status})
		}
	}
	return append(out, controls.HistoryDay{Day: day, Status: today})
}

func categoryName(key string) string {
	for _, c := range coverage.Categories {
		if c.Key == key {
			return c.Name
		}
	}
	return key
}
