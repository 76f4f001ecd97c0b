package web

import (
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/pages/auditors"
)

// auditorsPage names the auditors page for the one-time invitation link.
const auditorsPage = "auditors"

// defaultAccessDays pre-fills the invite form's "access until".
const defaultAccessDays = 90

// auditorsList shows the organization's auditors, pending invitations and
// (to owners) the invite form. Auditors may not see who else audits: the
// route table's guard answers them 403.
func (s *Server) auditorsList(c echo.Context) error {
	form := auditors.InviteForm{AccessUntil: components.ISODate(s.Clock.Now().AddDate(0, 0, defaultAccessDays))}
	return s.renderAuditors(c, http.StatusOK, form, takeLink(c, auditorsPage))
}

// renderAuditors renders the page with the invite form as given and, after
// an invitation, its link (shown this once).
func (s *Server) renderAuditors(c echo.Context, status int, form auditors.InviteForm, created *auditors.Link) error {
	ctx := c.Request().Context()
	org := currentOrg(c)
	now := s.Clock.Now()
	var members []dbsqlc.AuditorListRow
	var pending []dbsqlc.Invitation
	var options []dbsqlc.InvitationAssessmentOptionsRow
	err := db.InOrg(ctx, s.Pool, org.ID, func(tx pgx.Tx) error {
		var err error
		if members, err = q.AuditorList(ctx, tx, org.ID); err != nil {
			return err
		}
		if pending, err = q.InvitationListPending(ctx, tx, dbsqlc.InvitationListPendingParams{Now: now, Roles: []string{account.RoleAuditor}}); err != nil {
			return err
		}
		options, err = q.InvitationAssessmentOptions(ctx, tx)
		return err
	})
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, o := range options {
		form.Options = append(form.Options, auditors.Option{ID: o.ID.String(), Name: o.Name})
		names[o.ID.String()] = o.Name
	}
	form.Action = orgPath(c, "/auditors/invitations")
	form.MinDate = components.ISODate(now)
	form.MaxDate = components.ISODate(now.AddDate(1, 0, 0))
	v := auditors.View{Page: s.page(c, "Auditors", "auditors"), CanManage: currentRole(c) == account.RoleOwner, Form: form, Created: created}
	for _, m := range members {
		a := auditors.Auditor{Email: m.Email, LastSignIn: m.LastSignIn, RevokeURL: orgPath(c, "/auditors/"+m.UserID.String()+"/revoke")}
		if m.ExpiresAt != nil {
			a.ExpiresAt, a.Expired = *m.ExpiresAt, !now.Before(*m.ExpiresAt)
		}
		if m.AssessmentName != nil {
			a.Assessment = *m.AssessmentName
		}
		v.Auditors = append(v.Auditors, a)
	}
	for _, i := range pending {
		row := auditors.Invitation{Email: i.Email, CreatedAt: i.CreatedAt, LinkExpiresAt: i.LinkExpiresAt, AccessExpiresAt: *i.AccessExpiresAt,
			RevokeURL: orgPath(c, "/auditors/invitations/"+i.ID.String()+"/revoke")}
		if i.AssessmentID != nil {
			row.Assessment = names[i.AssessmentID.String()]
		}
		v.Invitations = append(v.Invitations, row)
	}
	return s.render(c, status, auditors.Page(v))
}
