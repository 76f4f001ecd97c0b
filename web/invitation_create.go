package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/views/pages/auditors"
)

// invitationCreate invites an auditor and redirects to the auditors page,
// which shows the link once (a reload does not invite again): the secret
// travels only in the owner's encrypted cookie (keepLinkOnce), never in a
// flash, a log or the database. Only owners invite (the route table's
// guard): admins see the page without the form, and an admin's attempt is
// refused with 403 and an audit row like any other.
func (s *Server) invitationCreate(c echo.Context) error {
	form := auditors.InviteForm{Email: c.FormValue("email"), AccessUntil: c.FormValue("access_until"), Assessment: c.FormValue("assessment")}
	day, err := time.Parse(time.DateOnly, form.AccessUntil)
	if err != nil {
		return s.inviteRefused(c, form, &account.FieldError{Field: "access_until", Message: "Choose the date the auditor's access ends."})
	}
	var assessmentID *uuid.UUID
	if form.Assessment != "" {
		id, err := uuid.Parse(form.Assessment)
		if err != nil {
			return s.inviteRefused(c, form, &account.FieldError{Field: "assessment", Message: "Choose one of this organization's assessments."})
		}
		assessmentID = &id
	}
	u := currentUser(c)
	// Access lasts to the end of the chosen day (UTC).
	invited, err := s.Accounts.Invite(c.Request().Context(), currentOrg(c).ID, audit.UserActor(u.UserID, u.Email),
		form.Email, day.Add(24*time.Hour-time.Second), assessmentID)
	var fe *account.FieldError
	if errors.As(err, &fe) {
		return s.inviteRefused(c, form, fe)
	}
	if err != nil {
		return err
	}
	keepLinkOnce(c, auditorsPage, auditors.Link{Email: invited.Invitation.Email, URL: s.Config.URL(invited.Path()), ExpiresAt: invited.Invitation.LinkExpiresAt})
	return seeOther(c, orgPath(c, "/auditors"))
}

// inviteRefused shows the form again with what was typed and the problem.
func (s *Server) inviteRefused(c echo.Context, form auditors.InviteForm, fe *account.FieldError) error {
	form.Errors = map[string]string{fe.Field: fe.Message}
	if fe.Field != "" {
		form.Errors[""] = "Not invited: correct the form below."
	}
	return s.renderAuditors(c, http.StatusUnprocessableEntity, form, nil)
}
