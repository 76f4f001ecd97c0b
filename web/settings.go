package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/views/layout"
	"github.com/attesthq/attest/views/pages/settings"
)

// settingsShow shows the organization's settings.
func (s *Server) settingsShow(c echo.Context) error {
	return s.renderSettings(c, http.StatusOK, account.ParseSettings(currentOrg(c).Settings), "", nameForm(c, currentOrg(c).Name, ""))
}

func (s *Server) renderSettings(c echo.Context, status int, st account.Settings, problem string, name settings.NameForm) error {
	f := settings.Form{Page: s.page(c, "Settings", "settings"), RetentionDays: st.RetentionDays, Error: problem,
		CanWrite: account.CanWrite(currentRole(c)), Action: orgPath(c, "/settings"), Name: name, MembersURL: orgPath(c, "/settings/members")}
	for _, cat := range coverage.Categories {
		if cat.Optional {
			f.Categories = append(f.Categories, settings.Category{Key: cat.Key, Name: cat.Name, Checked: slices.Contains(st.Categories, cat.Key)})
		}
	}
	return s.render(c, status, settings.Page(f))
}

// settingsUpdate saves the categories in scope and the retention window.
func (s *Server) settingsUpdate(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	next, problem := parseSettingsForm(form)
	if problem != "" {
		return s.renderSettings(c, http.StatusUnprocessableEntity, next, problem, nameForm(c, currentOrg(c).Name, ""))
	}
	u := currentUser(c)
	if err := s.Accounts.UpdateSettings(c.Request().Context(), currentOrg(c).ID, audit.UserActor(u.UserID, u.Email), next); err != nil {
		return err
	}
	flash(c, layout.FlashSuccess, "Settings saved. Coverage now counts the categories you chose.")
	return seeOther(c, orgPath(c, "/settings"))
}

// parseSettingsForm reads the settings form and checks it; problem is the
// form's message when it is refused.
func parseSettingsForm(form url.Values) (next account.Settings, problem string) {
	days, err := strconv.Atoi(form.Get("retention_days"))
	next = account.Settings{Categories: form["categories"], RetentionDays: days}
	if err != nil {
		return next, "Retention must be a whole number of days."
	}
	if err := next.Validate(); err != nil {
		return next, "Not saved: " + err.Error() + "."
	}
	return next, ""
}
