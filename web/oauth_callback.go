package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/views/layout"
	errpage "github.com/attesthq/attest/views/pages/errors"
	"github.com/attesthq/attest/views/pages/integrations"
)

// stateProblems explain a refused callback state.
var stateProblems = map[string]errpage.Problem{
	connection.StateUnknown: {Title: "This authorization response is not valid", Message: "attest does not recognize this sign-in response. Start the connection again from the integration page."},
	connection.StateForeign: {Title: "This authorization belongs to another session", Message: "The sign-in was started by a different session, so attest refused it. Start the connection again from this browser."},
	connection.StateUsed:    {Title: "This authorization was already used", Message: "Each sign-in response works once. Open the connection to see its status, or start again."},
	connection.StateExpired: {Title: "This authorization has expired", Message: "An authorization must finish within 10 minutes of starting it. Start the connection again."},
}

// oauthCallback is the redirect URI: the provider sends the browser here
// after its authorization page (or its consent page), with the result or an
// error.
//
// The state names its organization. A caller not signed into it (no live
// membership) is told the state is not valid before anything is looked up,
// so an outsider replaying someone's callback writes nothing into that
// organization's audit log.
func (s *Server) oauthCallback(c echo.Context) error {
	ok, err := s.enterStateOrg(c)
	if err != nil {
		return err
	}
	if !ok {
		return s.stateProblem(c, connection.StateUnknown)
	}
	out, err := s.Connections.Complete(c.Request().Context(), c.Param("connector"), s.actingUser(c), c.QueryParams())
	var stateErr *connection.StateError
	switch {
	case errors.As(err, &stateErr):
		return s.stateProblem(c, stateErr.Reason)
	case errors.Is(err, connection.ErrRevoked):
		return echo.NewHTTPError(http.StatusGone, "This connection was revoked before the authorization finished.")
	case errors.Is(err, connection.ErrNotFound):
		return echo.ErrNotFound
	case err != nil:
		return err
	}
	connURL := orgPath(c, "/connections/"+out.ConnectionID.String())
	def := s.Connectors.Get(c.Param("connector")).Definition()
	if out.Problem == nil && out.Next.URL != "" {
		return s.goToProvider(c, def.Provider, out.Next)
	}
	if out.Problem == nil {
		switch out.Purpose {
		case connection.PurposeConsent:
			flash(c, layout.FlashSuccess, "Admin consent was granted for the "+def.Account+". Authorize the connection to finish.")
		case connection.PurposeReauth:
			flash(c, layout.FlashSuccess, "Re-authorized. attest syncs again.")
		default:
			flash(c, layout.FlashSuccess, "Connected. The first sync has started.")
		}
		if len(out.MissingScopes) > 0 {
			flash(c, layout.FlashError, def.Provider+" did not grant "+strings.Join(out.MissingScopes, ", ")+": the evidence that needs it will show as unknown until an administrator grants admin consent.")
		}
		return c.Redirect(http.StatusSeeOther, connURL)
	}
	p := out.Problem
	view := integrations.Outcome{
		Page:  s.page(c, p.Title, "integrations"),
		Title: p.Title, Message: p.Message, NextStep: p.NextStep, Code: p.Code, ConnectionURL: connURL, Provider: def.Provider,
	}
	if account.CanWrite(currentRole(c)) {
		view.RetryURL = connURL + "/reauthorize"
		if p.OfferConsent && def.Has(connector.CapabilityConsent) {
			view.ConsentURL = connURL + "/consent"
		}
	}
	return s.render(c, http.StatusOK, integrations.OutcomePage(view))
}

// enterStateOrg scopes the request to the organization the callback's state
// names, and reports false when the state names none or one the user is not
// signed into.
func (s *Server) enterStateOrg(c echo.Context) (bool, error) {
	orgID, ok := connection.StateOrg(c.QueryParam("state"))
	if !ok {
		return false, nil
	}
	return s.enterOrg(c, "", orgID)
}

// stateProblem answers 400 with the page explaining a refused state.
func (s *Server) stateProblem(c echo.Context, reason string) error {
	p := stateProblems[reason]
	p.Status, p.RequestID, p.SignedIn = http.StatusBadRequest, requestID(c), true
	return s.render(c, http.StatusBadRequest, errpage.Page(p))
}
