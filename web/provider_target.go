package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/views/pages/integrations"
)

// goToProvider sends the browser to an authorization target: a redirect,
// or a page whose form the browser POSTs to the provider (its own CSP
// lets that one form reach the provider's origin).
func (s *Server) goToProvider(c echo.Context, provider string, t connection.Target) error {
	if !t.Posts() {
		return c.Redirect(http.StatusSeeOther, t.URL)
	}
	u, err := url.Parse(t.URL)
	if err != nil || u.Host == "" {
		return echo.NewHTTPError(http.StatusInternalServerError, "The provider's address is not valid.")
	}
	h := c.Response().Header()
	h.Set("Content-Security-Policy", strings.Replace(h.Get("Content-Security-Policy"),
		"form-action 'self'", "form-action 'self' "+u.Scheme+"://"+u.Host, 1))
	h.Set("Cache-Control", "no-store")
	view := integrations.ProviderPost{Page: s.page(c, "Continue on "+provider, "integrations"), Provider: provider, Action: t.URL}
	for _, k := range slices.Sorted(maps.Keys(t.Form)) {
		for _, v := range t.Form[k] {
			view.Fields = append(view.Fields, integrations.PostField{Name: k, Value: v})
		}
	}
	return s.render(c, http.StatusOK, integrations.ProviderPostPage(view))
}
