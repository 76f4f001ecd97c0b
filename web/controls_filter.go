package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/internal/scope"
)

// Owner filter values of the controls list.
const (
	ownerMine = "mine"
	ownerNone = "none"
)

var ownerFilters = []struct{ value, label string }{{"", "Any owner"}, {ownerMine, "Mine"}, {ownerNone, "No owner"}}

// controlFilter is the controls list's query: state, category and owner.
type controlFilter struct{ status, category, owner string }

// parseControlFilter reads and validates the query; an unknown value is
// refused rather than silently ignored.
func parseControlFilter(c echo.Context) (controlFilter, error) {
	f := controlFilter{status: c.QueryParam("status"), category: c.QueryParam("category"), owner: c.QueryParam("owner")}
	if f.status != "" && !slices.Contains(coverage.Statuses, f.status) {
		return f, echo.NewHTTPError(http.StatusBadRequest, "There is no control state "+quote(f.status)+".")
	}
	if f.category != "" && !slices.ContainsFunc(coverage.Categories, func(k coverage.Category) bool { return k.Key == f.category }) {
		return f, echo.NewHTTPError(http.StatusBadRequest, "There is no category "+quote(f.category)+".")
	}
	if !slices.ContainsFunc(ownerFilters, func(o struct{ value, label string }) bool { return o.value == f.owner }) {
		return f, echo.NewHTTPError(http.StatusBadRequest, `Filter owners by "mine" or "none".`)
	}
	return f, nil
}

// matches reports whether a control passes the filter; me is the signed-in
// user.
func (f controlFilter) matches(ctl coverage.Control, owner scope.Owner, owned bool, me uuid.UUID) bool {
	switch {
	case f.status != "" && ctl.Status != f.status, f.category != "" && ctl.Category != f.category:
		return false
	case f.owner == ownerMine:
		return owned && owner.UserID == me
	case f.owner == ownerNone:
		return !owned
	}
	return true
}

// with is the list's URL with one parameter changed.
func (f controlFilter) with(c echo.Context, key, value string) string {
	v := url.Values{}
	for k, val := range map[string]string{"status": f.status, "category": f.category, "owner": f.owner} {
		if k == key {
			val = value
		}
		if val != "" {
			v.Set(k, val)
		}
	}
	if len(v) == 0 {
		return orgPath(c, "/controls")
	}
	return orgPath(c, "/controls?"+v.Encode())
}

// justification is why a control is not applicable, or "".
func justification(ctl coverage.Control) string {
	if ctl.NotApplicable == nil {
		return ""
	}
	return ctl.NotApplicable.Justification
}

func ownerLabel(o scope.Owner, owned bool) string {
	if !owned {
		return ""
	}
	return o.Label()
}
