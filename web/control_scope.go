package web

import (
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/internal/scope"
	"github.com/attesthq/attest/views/layout"
	"github.com/attesthq/attest/views/pages/controls"
)

// controlScope is the control page's scope and owner card; form carries a
// refused form's error and input.
func controlScope(c echo.Context, ctl coverage.Control, owner scope.Owner, owned bool, candidates []scope.Owner, form controls.Scope) controls.Scope {
	v := controls.Scope{Owner: ownerLabel(owner, owned), CanWrite: account.CanWrite(currentRole(c)),
		ScopeURL: orgPath(c, "/controls/"+ctl.ID+"/scope"), OwnerURL: orgPath(c, "/controls/"+ctl.ID+"/owner"),
		FormError: form.FormError, Justification: form.Justification, MinLength: scope.MinJustification, MaxLength: scope.MaxJustification}
	if x := ctl.NotApplicable; x != nil {
		v.NotApplicable = &controls.Exemption{Justification: x.Justification, MarkedBy: x.MarkedBy, MarkedAt: x.MarkedAt}
	}
	for _, o := range candidates {
		v.Choices = append(v.Choices, controls.OwnerChoice{ID: o.UserID.String(), Label: o.Label(), Selected: owned && o.UserID == owner.UserID})
	}
	return v
}

// controlScopeSet marks the control not applicable with a justification
// (applicable=no) or brings it back into scope (applicable=yes).
func (s *Server) controlScopeSet(c echo.Context) error {
	crit, err := orgCriterion(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	actor := audit.UserActor(u.UserID, u.Email)
	ctx := c.Request().Context()
	switch c.FormValue("applicable") {
	case "no":
		text := c.FormValue("justification")
		err := s.Scopes.MarkNotApplicable(ctx, currentOrg(c).ID, actor, u.UserID, crit.ID, text)
		if errors.Is(err, scope.ErrJustification) {
			return s.renderControl(c, http.StatusUnprocessableEntity, crit, controls.Scope{FormError: "Not changed: " + err.Error() + ".", Justification: text})
		}
		if err != nil {
			return err
		}
		flash(c, layout.FlashSuccess, crit.ID+" is marked not applicable: it leaves coverage, and its justification is shown wherever it appears.")
	case "yes":
		if _, err := s.Scopes.MarkApplicable(ctx, currentOrg(c).ID, actor, crit.ID); err != nil {
			return err
		}
		flash(c, layout.FlashSuccess, crit.ID+" is back in scope.")
	default:
		return echo.NewHTTPError(http.StatusBadRequest, "Say whether the criterion applies (applicable=yes or no).")
	}
	return seeOther(c, orgPath(c, "/controls/"+crit.ID))
}

// controlOwnerSet makes a member the control's owner (empty: nobody).
func (s *Server) controlOwnerSet(c echo.Context) error {
	crit, err := orgCriterion(c)
	if err != nil {
		return err
	}
	var owner *uuid.UUID
	if raw := c.FormValue("owner"); raw != "" {
		id, err := uuid.Parse(raw)
		if err != nil {
			return s.renderControl(c, http.StatusUnprocessableEntity, crit, controls.Scope{FormError: "Not changed: " + scope.ErrNotMember.Error() + "."})
		}
		owner = &id
	}
	u := currentUser(c)
	err = s.Scopes.SetOwner(c.Request().Context(), currentOrg(c).ID, audit.UserActor(u.UserID, u.Email), u.UserID, crit.ID, owner)
	if errors.Is(err, scope.ErrNotMember) {
		return s.renderControl(c, http.StatusUnprocessableEntity, crit, controls.Scope{FormError: "Not changed: " + err.Error() + "."})
	}
	if err != nil {
		return err
	}
	flash(c, layout.FlashSuccess, "Owner of "+crit.ID+" saved.")
	return seeOther(c, orgPath(c, "/controls/"+crit.ID))
}
