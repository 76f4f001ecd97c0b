package web

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/internal/orgview"
	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/pages/controls"
)

// controlsList lists the controls of the organization's categories,
// filtered by state, category and owner.
func (s *Server) controlsList(c echo.Context) error {
	v, report, err := s.orgView(c, s.Clock.Now(), nil)
	if err != nil {
		return err
	}
	owners := v.Owners
	f, err := parseControlFilter(c)
	if err != nil {
		return err
	}
	me := currentUser(c).UserID
	l := controls.List{Page: s.page(c, "Controls", "controls"), Coverage: components.Percent(report.Coverage),
		ExportURL: orgPath(c, "/controls/scope.csv")}
	l.States = append(l.States, controls.Filter{Label: "All", Count: len(report.Controls), URL: f.with(c, "status", ""), On: f.status == ""})
	for _, st := range coverage.Statuses {
		l.States = append(l.States, controls.Filter{Value: st, Label: components.ControlStatusLabel(st), Count: report.Counts[st], URL: f.with(c, "status", st), On: f.status == st})
	}
	l.Categories = append(l.Categories, controls.Filter{Label: "All categories", URL: f.with(c, "category", ""), On: f.category == ""})
	for _, cat := range coverage.Categories {
		for _, ctl := range report.Controls {
			if ctl.Category == cat.Key {
				l.Categories = append(l.Categories, controls.Filter{Value: cat.Key, Label: cat.Name, URL: f.with(c, "category", cat.Key), On: f.category == cat.Key})
				break
			}
		}
	}
	for _, o := range ownerFilters {
		l.Owners = append(l.Owners, controls.Filter{Value: o.value, Label: o.label, URL: f.with(c, "owner", o.value), On: f.owner == o.value})
	}
	for _, ctl := range report.Controls {
		owner, owned := owners[ctl.ID]
		if !f.matches(ctl, owner, owned, me) {
			continue
		}
		l.Rows = append(l.Rows, controls.Row{ID: ctl.ID, Summary: ctl.Summary, Category: ctl.Category, Status: ctl.Status,
			Evidence: ctl.Evidence, Justification: justification(ctl), Owner: ownerLabel(owner, owned),
			Checks: len(ctl.Checks), Documents: len(ctl.Documents), Newest: ctl.NewestEvidence, URL: orgPath(c, "/controls/"+ctl.ID)})
	}
	return s.render(c, http.StatusOK, controls.ListPage(l))
}

// controlShow is one control: its criterion, scope and owner, checks and
// their freshness, documents, evidence kinds, exclusions in force and status
// history.
func (s *Server) controlShow(c echo.Context) error {
	crit, err := orgCriterion(c)
	if err != nil {
		return err
	}
	return s.renderControl(c, http.StatusOK, crit, controls.Scope{})
}

// orgCriterion is the criterion named in the path, among the organization's
// categories.
func orgCriterion(c echo.Context) (coverage.Criterion, error) {
	crit, ok := coverage.Find(c.Param("control"))
	if !ok {
		return crit, echo.ErrNotFound
	}
	if !slices.ContainsFunc(coverage.OrgScope(currentOrg(c)), func(x coverage.Criterion) bool { return x.ID == crit.ID }) {
		return crit, echo.NewHTTPError(http.StatusNotFound, crit.ID+" is not in scope: add its category in Settings.")
	}
	return crit, nil
}

// renderControl renders the control page; form carries a refused scope
// form's error and input.
func (s *Server) renderControl(c echo.Context, status int, crit coverage.Criterion, form controls.Scope) error {
	now := s.Clock.Now()
	v, report, err := s.orgView(c, now, []coverage.Criterion{crit})
	if err != nil {
		return err
	}
	ctl := &report.Controls[0]
	d := controls.Detail{Page: s.page(c, crit.ID, "controls"), ID: crit.ID, Summary: crit.Summary, Series: coverage.Series[crit.Series],
		Category: categoryName(crit.Category), Status: ctl.Status, Evidence: ctl.Evidence, ExportURL: orgPath(c, "/evidence/export?control="+url.QueryEscape(crit.ID))}
	owner, owned := v.Owners[crit.ID]
	d.Scope = controlScope(c, *ctl, owner, owned, v.Candidates, form)
	for _, doc := range ctl.Documents {
		d.Documents = append(d.Documents, controls.Document{Title: doc.Title, Current: doc.Current, ReviewDue: doc.ReviewDue, LatestRevisionAt: doc.LatestRevisionAt})
	}
	checkKeys := map[string]string{}
	for _, chk := range ctl.Checks {
		checkKeys[chk.CheckKey] = chk.CheckTitle
		d.Checks = append(d.Checks, controls.Check{Title: chk.CheckTitle, Connection: chk.ConnectionName, Status: chk.Status,
			Reason: chk.Reason, Failing: chk.Failing, Excluded: chk.Excluded, Fresh: chk.Fresh, LastSuccess: chk.LastSuccess,
			EvaluatedAt: chk.EvaluatedAt, URL: orgPath(c, "/connections/"+chk.ConnectionID.String()+"/checks/"+chk.CheckKey)})
	}
	slices.SortStableFunc(d.Checks, func(a, b controls.Check) int { return checkOrder(a.Status) - checkOrder(b.Status) })
	for _, conn := range s.Connectors.All() {
		for _, k := range conn.Definition().Evidence {
			if slices.Contains(k.Criteria, crit.ID) {
				d.Kinds = append(d.Kinds, controls.Kind{Kind: k.Kind, Title: k.Title, Description: k.Description,
					URL: orgPath(c, "/evidence?kind="+url.QueryEscape(k.Kind))})
			}
		}
	}
	for _, x := range v.ActiveExclusions(now) {
		if title, ok := checkKeys[x.CheckKey]; ok {
			d.Exclusions = append(d.Exclusions, controls.Exclusion{Check: title, Subject: x.SubjectLabel, Reason: x.Reason, ExpiresAt: x.ExpiresAt})
		}
	}
	d.History = controlHistory(v.Snapshots, crit.ID, ctl.Status, now)
	return s.render(c, status, controls.DetailPage(d))
}

// checkOrder ranks a check result for a control page: what needs fixing
// first (failing), then the undecided, passing last.
func checkOrder(status string) int {
	switch status {
	case "fail":
		return 0
	case "pass":
		return 3
	case "unknown":
		return 1
	default:
		return 2
	}
}

// controlHistory is the control's status on each snapshot day it was in
// scope, today live.
func controlHistory(snapshots []orgview.Snapshot, id, today string, now time.Time) []controls.HistoryDay {
	var out []controls.HistoryDay
	day := now.UTC().Truncate(24 * time.Hour)
	for _, h := range snapshots {
		if status, ok := h.Controls[id]; ok && h.Day.Before(day) {
			out = append(out, controls.HistoryDay{Day: h.Day, Status: status})
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
