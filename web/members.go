package web

import (
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/views/pages/auditors"
	"github.com/attesthq/attest/views/pages/members"
)

// membersPage names the members page for the one-time invitation link.
const membersPage = "members"

// membersList shows the organization's owners and admins, the pending
// invitations to join them and (to owners) the controls. Admins see the
// page read-only; auditors get 403 from the route table's guard.
func (s *Server) membersList(c echo.Context) error {
	return s.renderMembers(c, http.StatusOK, members.InviteForm{}, takeLink(c, membersPage), "")
}

// renderMembers renders the page with the invite form as given, the
// one-time link after an invitation, and problem when a change was refused.
func (s *Server) renderMembers(c echo.Context, status int, form members.InviteForm, created *auditors.Link, problem string) error {
	ctx := c.Request().Context()
	org := currentOrg(c)
	var rows []dbsqlc.MemberListRow
	var pending []dbsqlc.Invitation
	err := db.InOrg(ctx, s.Pool, org.ID, func(tx pgx.Tx) error {
		var err error
		if rows, err = q.MemberList(ctx, tx, org.ID); err != nil {
			return err
		}
		pending, err = q.InvitationListPending(ctx, tx, dbsqlc.InvitationListPendingParams{
			Now: s.Clock.Now(), Roles: []string{account.RoleOwner, account.RoleAdmin}})
		return err
	})
	if err != nil {
		return err
	}
	form.Action = orgPath(c, "/settings/members/invitations")
	v := members.View{Page: s.page(c, "Members", "members"), CanManage: currentRole(c) == account.RoleOwner,
		Form: form, Created: created, Problem: problem}
	self := currentUser(c).UserID
	for _, m := range rows {
		base := orgPath(c, "/settings/members/"+m.UserID.String())
		v.Members = append(v.Members, members.Member{Email: m.Email, DisplayName: m.DisplayName, Role: m.Role, Since: m.CreatedAt,
			Self: m.UserID == self, RoleURL: base + "/role", RemoveURL: base + "/remove"})
	}
	for _, i := range pending {
		v.Invitations = append(v.Invitations, members.Invitation{Email: i.Email, Role: i.Role, CreatedAt: i.CreatedAt, LinkExpiresAt: i.LinkExpiresAt,
			RevokeURL: orgPath(c, "/settings/members/invitations/"+i.ID.String()+"/revoke")})
	}
	return s.render(c, status, members.Page(v))
}
