package web

import (
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/pages/dashboard"
)

// The dashboard's tile orders (the sort query parameter).
const (
	sortCatalog = "catalog"
	sortByState = "state"
)

// needsWorkFirst is the tile order by state: what fails first, what passes
// or is out of scope last.
var needsWorkFirst = []string{coverage.Failing, coverage.StaleState, coverage.Unknown, coverage.NoEvidence, coverage.Passing, coverage.NotApplicable}

// tileView is how the dashboard shows its control tiles (all of them or one
// state, in catalog order or by state) and whether it lists everything that
// needs attention or the first few.
type tileView struct {
	state        string
	byState      bool
	allAttention bool
}

// tileViewOf reads ?state=, ?sort= and ?attention=all; unknown values show
// every tile in catalog order and the first few items needing attention.
func tileViewOf(c echo.Context) tileView {
	var v tileView
	if st := c.QueryParam("state"); slices.Contains(coverage.Statuses, st) {
		v.state = st
	}
	v.byState = c.QueryParam("sort") == sortByState
	v.allAttention = c.QueryParam("attention") == "all"
	return v
}

// url is the dashboard showing this view.
func (v tileView) url(c echo.Context) string {
	q := url.Values{}
	if v.state != "" {
		q.Set("state", v.state)
	}
	if v.byState {
		q.Set("sort", sortByState)
	}
	if v.allAttention {
		q.Set("attention", "all")
	}
	if len(q) == 0 {
		return orgPath(c, "/")
	}
	return orgPath(c, "/?"+q.Encode())
}

// filters are the choices of state, each with its number of controls.
func (v tileView) filters(c echo.Context, report coverage.Report) []dashboard.Option {
	all := v
	all.state = ""
	out := []dashboard.Option{{Label: "All", Count: components.Int(int64(len(report.Controls))), URL: all.url(c), Current: v.state == ""}}
	for _, st := range coverage.Statuses {
		o := v
		o.state = st
		out = append(out, dashboard.Option{Label: components.ControlStatusLabel(st), Value: st, Count: components.Int(int64(report.Counts[st])),
			URL: o.url(c), Current: v.state == st})
	}
	return out
}

// sorts are the choices of order.
func (v tileView) sorts(c echo.Context) []dashboard.Option {
	catalog, byState := v, v
	catalog.byState, byState.byState = false, true
	return []dashboard.Option{
		{Label: "Catalog", Value: sortCatalog, URL: catalog.url(c), Current: !v.byState},
		{Label: "Needs work first", Value: sortByState, URL: byState.url(c), Current: v.byState},
	}
}
