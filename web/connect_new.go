package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/views/pages/integrations"
)

// connectNew shows the connect wizard.
func (s *Server) connectNew(c echo.Context) error {
	conn := s.Connectors.Get(c.Param("connector"))
	if conn == nil {
		return echo.ErrNotFound
	}
	return s.renderWizard(c, http.StatusOK, conn, conn.FormDefaults(), nil, "")
}

// renderWizard shows the wizard with submitted values and field errors. The
// secret is never echoed back.
func (s *Server) renderWizard(c echo.Context, status int, conn connector.Connector, values url.Values, errs connector.FieldErrors, formError string) error {
	d := conn.Definition()
	view := integrations.Wizard{
		Page:      s.page(c, "Connect "+d.Name, "integrations"),
		Connector: s.connectorView(conn),
		Action:    orgPath(c, "/integrations/"+d.Key+"/connect"),
		FormError: formError,
		Notice:    conn.FormNotice(),
	}
	for _, f := range conn.Form() {
		field := integrations.FormField{Name: f.Name, Label: f.Label, Type: f.Type, Hint: f.Hint,
			Placeholder: f.Placeholder, Required: f.Required, Error: errs[f.Name]}
		if f.Type != "secret" {
			field.Value = values.Get(f.Name)
		}
		for _, o := range f.Options {
			field.Options = append(field.Options, integrations.Option{Value: o.Value, Label: o.Label, Hint: o.Hint,
				Hides: strings.Join(o.Hides, " "), Submit: o.Submit})
		}
		view.Fields = append(view.Fields, field)
	}
	return s.render(c, status, integrations.WizardPage(view))
}
