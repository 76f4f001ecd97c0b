package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/views/layout"
	authpage "github.com/attesthq/attest/views/pages/auth"
)

// invitationShow is the public page an invited auditor opens from their
// link: the organization, the invited email and the password form.
func (s *Server) invitationShow(c echo.Context) error {
	inv, err := s.openInvitation(c)
	if err != nil {
		return s.invitationUnusable(c, err)
	}
	return s.render(c, http.StatusOK, authpage.Invitation(invitationForm(c, inv)))
}

// invitationAccept accepts an invitation and signs the auditor in, with the
// same kind of session as the sign-in page. The form is the same for
// everyone; account.Service.Accept decides whether the password must open
// an existing account (checked by Authenticate, under the sign-in throttle)
// or becomes a new one's, and never sets an existing account's password.
func (s *Server) invitationAccept(c echo.Context) error {
	inv, err := s.openInvitation(c)
	if err != nil {
		return s.invitationUnusable(c, err)
	}
	ctx := c.Request().Context()
	client := auth.Client{IP: c.RealIP(), UserAgent: c.Request().UserAgent(), RequestID: requestID(c)}
	verify := func(ctx context.Context, email, password string) (dbsqlc.User, error) {
		return s.Auth.Authenticate(ctx, email, password, client)
	}
	accepted, err := s.Accounts.Accept(ctx, s.Auth.Hasher, verify, inv.OrgID, c.Param("token"),
		account.Acceptance{Password: c.FormValue("password"), Confirm: c.FormValue("confirm")})
	var fe *account.FieldError
	var throttled *auth.ThrottledError
	switch {
	case errors.As(err, &fe):
		return s.acceptRefused(c, inv, http.StatusUnprocessableEntity, fe)
	case errors.Is(err, account.ErrCredentials):
		return s.acceptRefused(c, inv, http.StatusUnauthorized, &account.FieldError{Field: "password", Message: acceptCredentialsMessage})
	case errors.As(err, &throttled):
		return s.acceptRefused(c, inv, http.StatusTooManyRequests, &account.FieldError{Message: throttledAnswer(c, throttled)})
	case err != nil:
		return s.invitationUnusable(c, err)
	}
	sess, err := s.Auth.StartSession(ctx, accepted.User, client)
	if err != nil {
		return err
	}
	cookie := s.freshCookie()
	cookie.Values[keySessionID] = sess.Token
	c.Set(ctxCookie, cookie)
	flash(c, layout.FlashSuccess, welcome(accepted.Role, inv.OrgName))
	return c.Redirect(http.StatusSeeOther, landing(accepted))
}

// welcome greets the person who just joined, saying what they can do.
func welcome(role, orgName string) string {
	switch role {
	case account.RoleOwner:
		return "Welcome. You are an owner of " + orgName + "."
	case account.RoleAdmin:
		return "Welcome. You are an admin of " + orgName + "."
	}
	return "Welcome. You have read-only access to " + orgName + "."
}

// landing is where a new member starts: the assessment an auditor was
// invited to, or the organization's dashboard.
func landing(a account.Accepted) string {
	if a.AssessmentID != nil {
		return "/o/" + a.OrgSlug + "/assessments/" + a.AssessmentID.String()
	}
	return "/o/" + a.OrgSlug + "/"
}

// acceptCredentialsMessage is the one answer when the invited email has an
// account the password does not open (wrong, or the account has none).
const acceptCredentialsMessage = "The invitation could not be accepted with this password. " +
	"If you already use attest, enter the password you sign in with."

// openedInvitation is a usable invitation and the organization it is for.
type openedInvitation struct {
	account.OpenInvitation
	OrgID uuid.UUID
}

// openInvitation reads the invitation the link names. The link carries a
// secret, so this page asks browsers not to send it on as a referrer.
func (s *Server) openInvitation(c echo.Context) (openedInvitation, error) {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	orgID, _ := uuid.Parse(c.Param("org"))
	inv, err := s.Accounts.Invitation(c.Request().Context(), orgID, c.Param("token"))
	return openedInvitation{OpenInvitation: inv, OrgID: orgID}, err
}

// invitationUnusable answers every dead link the same way (410, one page)
// and logs why, without the secret.
func (s *Server) invitationUnusable(c echo.Context, err error) error {
	var invalid *account.InvalidInvitationError
	if !errors.As(err, &invalid) {
		return err
	}
	s.Log.InfoContext(c.Request().Context(), "invitation link refused",
		"reason", invalid.Reason, "org", c.Param("org"), "invitation_id", invalid.InvitationID)
	return s.render(c, http.StatusGone, authpage.InvitationInvalid())
}

// acceptRefused shows the accept form again with the problem.
func (s *Server) acceptRefused(c echo.Context, inv openedInvitation, status int, fe *account.FieldError) error {
	f := invitationForm(c, inv)
	f.Errors = map[string]string{fe.Field: fe.Message}
	return s.render(c, status, authpage.Invitation(f))
}

func invitationForm(c echo.Context, inv openedInvitation) authpage.InvitationForm {
	return authpage.InvitationForm{Action: account.InvitationPath(inv.OrgID, c.Param("token")), OrgName: inv.OrgName, Email: inv.Email,
		Role: inv.Role, AccessEnds: inv.AccessExpiresAt, Assessment: inv.Assessment}
}
