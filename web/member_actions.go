package web

import (
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/views/layout"
	"github.com/attesthq/attest/views/pages/auditors"
	"github.com/attesthq/attest/views/pages/members"
)

// lastOwnerProblem is the members page's answer to a refused demotion or
// removal of the last owner.
const lastOwnerProblem = "Not changed: an organization keeps at least one owner. Make someone else an owner first."

// memberInvite invites an owner or admin and redirects to the members page,
// which shows the link once (a reload does not invite again). Owners only:
// the route carries requireOwner.
func (s *Server) memberInvite(c echo.Context) error {
	form := members.InviteForm{Email: c.FormValue("email"), Role: c.FormValue("role")}
	u := currentUser(c)
	invited, err := s.Accounts.InviteMember(c.Request().Context(), currentOrg(c).ID, audit.UserActor(u.UserID, u.Email), form.Email, form.Role)
	var fe *account.FieldError
	if errors.As(err, &fe) {
		form.Errors = map[string]string{fe.Field: fe.Message, "": "Not invited: correct the form below."}
		return s.renderMembers(c, http.StatusUnprocessableEntity, form, nil, "")
	}
	if err != nil {
		return err
	}
	keepLinkOnce(c, membersPage, auditors.Link{Email: invited.Invitation.Email, URL: s.Config.URL(invited.Path()), ExpiresAt: invited.Invitation.LinkExpiresAt})
	return seeOther(c, orgPath(c, "/settings/members"))
}

// memberRoleSet makes a member an owner or an admin. Owners only.
func (s *Server) memberRoleSet(c echo.Context) error {
	return s.memberChange(c, "Role changed.", orgPath(c, "/settings/members"), func(actor audit.Actor, org, user uuid.UUID) error {
		return s.Accounts.SetMemberRole(c.Request().Context(), org, actor, user, c.FormValue("role"))
	})
}

// memberRemove ends a member's access at once: their next request to the
// organization answers 404. Owners only.
func (s *Server) memberRemove(c echo.Context) error {
	// An owner who leaves has no members page to go back to.
	return s.memberChange(c, "Member removed. Their access ended at once.", "/", func(actor audit.Actor, org, user uuid.UUID) error {
		return s.Accounts.RemoveMember(c.Request().Context(), org, actor, user)
	})
}

// memberChange runs change on the member in the path and answers: back to
// the members page (or to self when the member was the signed-in user), or
// the page again with why it was refused (409 for the last owner, 422 for a
// role that is not one).
func (s *Server) memberChange(c echo.Context, done, self string, change func(audit.Actor, uuid.UUID, uuid.UUID) error) error {
	id, err := uuidParam(c, "user")
	if err != nil {
		return err
	}
	u := currentUser(c)
	err = change(audit.UserActor(u.UserID, u.Email), currentOrg(c).ID, id)
	var fe *account.FieldError
	switch {
	case errors.Is(err, account.ErrNotFound):
		return echo.ErrNotFound
	case errors.Is(err, account.ErrLastOwner):
		return s.renderMembers(c, http.StatusConflict, members.InviteForm{}, nil, lastOwnerProblem)
	case errors.As(err, &fe):
		return s.renderMembers(c, http.StatusUnprocessableEntity, members.InviteForm{}, nil, "Not changed: "+fe.Message)
	case err != nil:
		return err
	}
	flash(c, layout.FlashSuccess, done)
	if id == u.UserID {
		return seeOther(c, self)
	}
	return seeOther(c, orgPath(c, "/settings/members"))
}
