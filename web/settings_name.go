package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/views/layout"
	"github.com/attesthq/attest/views/pages/settings"
)

// settingsRename changes the organization's name (its address stays).
// Owners only: the route carries requireOwner.
func (s *Server) settingsRename(c echo.Context) error {
	u := currentUser(c)
	err := s.Accounts.RenameOrg(c.Request().Context(), currentOrg(c).ID, audit.UserActor(u.UserID, u.Email), c.FormValue("name"))
	var fe *account.FieldError
	if errors.As(err, &fe) {
		return s.renderSettingsName(c, c.FormValue("name"), fe.Message)
	}
	if err != nil {
		return err
	}
	flash(c, layout.FlashSuccess, "Organization renamed.")
	return seeOther(c, orgPath(c, "/settings"))
}

// renderSettingsName shows the settings again with the typed name and why
// it was refused.
func (s *Server) renderSettingsName(c echo.Context, typed, problem string) error {
	return s.renderSettings(c, http.StatusUnprocessableEntity, account.ParseSettings(currentOrg(c).Settings), "", nameForm(c, typed, problem))
}

// nameForm is the settings page's name form: editable by owners only.
func nameForm(c echo.Context, value, problem string) settings.NameForm {
	return settings.NameForm{Value: value, Error: problem, CanRename: currentRole(c) == account.RoleOwner, Action: orgPath(c, "/settings/name")}
}
