package web

import (
	"errors"
	"github.com/google/uuid"
	"net/http"
	"net/url"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/views/layout"
)

// requireSession lets signed-in users through and sends everyone else to the
// sign-in page (remembering where they were going).
func (s *Server) requireSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		signedIn, err := s.signIn(c)
		if err != nil {
			return err
		}
		if !signedIn {
			return s.toLogin(c)
		}
		return next(c)
	}
}

// signIn puts the cookie's live session on the request and reports whether
// there was one; a dead session's id is dropped from the cookie.
func (s *Server) signIn(c echo.Context) (bool, error) {
	token, _ := cookieSession(c).Values[keySessionID].([]byte)
	sess, err := s.Auth.Lookup(c.Request().Context(), token)
	if errors.Is(err, auth.ErrNoSession) {
		delete(cookieSession(c).Values, keySessionID)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	c.Set(ctxUser, sess)
	return true, nil
}

func (s *Server) toLogin(c echo.Context) error {
	target := "/login"
	if uri := c.Request().URL.RequestURI(); c.Request().Method == http.MethodGet && uri != "/" && isLocalPath(uri) {
		target += "?next=" + url.QueryEscape(uri)
	}
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", target)
		return c.NoContent(http.StatusUnauthorized)
	}
	if c.Request().Method != http.MethodGet {
		return echo.NewHTTPError(http.StatusUnauthorized, "Your session has ended. Sign in again.")
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// requireOrg scopes the request to the organization named in the path. An
// organization the user does not belong to (or whose access expired) answers
// 404, the same as one that does not exist.
func (s *Server) requireOrg(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ok, err := s.enterOrg(c, c.Param("org"), uuid.Nil)
		if err != nil {
			return err
		}
		if !ok {
			return echo.ErrNotFound
		}
		return next(c)
	}
}

// enterOrg scopes the request to the organization named by slug (or, with
// no slug, by id) when the user's membership to it is live, and reports
// whether it was. One round trip (db.OrgEntry) also lists the user's live
// memberships for the switcher and reads the organization's open alerts and
// read version.
func (s *Server) enterOrg(c echo.Context, slug string, id uuid.UUID) (bool, error) {
	now := s.Clock.Now()
	rows, err := db.OrgEntry(c.Request().Context(), s.Pool, currentUser(c).UserID, slug, id, now)
	if err != nil {
		return false, err
	}
	var entered *db.Membership
	var orgs []layout.Org
	for i, r := range rows {
		if r.ExpiresAt != nil && !now.Before(*r.ExpiresAt) {
			continue
		}
		orgs = append(orgs, layout.Org{Slug: r.Organization.Slug, Name: r.Organization.Name, Role: r.Role, ExpiresAt: r.ExpiresAt})
		if r.Banner != nil {
			entered = &rows[i]
		}
	}
	if entered == nil {
		return false, nil
	}
	c.Set(ctxOrg, entered.Organization)
	c.Set(ctxRole, entered.Role)
	c.Set(ctxOrgs, orgs)
	c.Set(ctxOpenAlerts, int(entered.Banner.OpenAlerts))
	c.Set(ctxOrgVersion, entered.Banner.Version)
	if entered.AssessmentID != nil {
		c.Set(ctxAssessmentLimit, *entered.AssessmentID)
	}
	return true, nil
}

// isUnsafe reports whether a method can change state.
func isUnsafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// readOnlyForAuditors refuses every state-changing request from an auditor
// with 403 and an audit row. It guards the whole organization group, so a new
// route is covered the moment it is added.
func (s *Server) readOnlyForAuditors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if isUnsafe(c.Request().Method) && !account.CanWrite(currentRole(c)) {
			return s.deny(c, "auditors have read-only access")
		}
		return next(c)
	}
}

// requireAdmin lets only the organization's owners and admins through: the
// pages about its team and its auditors.
func (s *Server) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !account.CanWrite(currentRole(c)) {
			return echo.NewHTTPError(http.StatusForbidden, "Only owners and admins can see this page.")
		}
		return next(c)
	}
}

// requireOwner lets only the organization's owners through.
func (s *Server) requireOwner(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentRole(c) != account.RoleOwner {
			return s.deny(c, "only owners may do this")
		}
		return next(c)
	}
}

// deny records a refused action in the organization's audit log and answers
// 403.
func (s *Server) deny(c echo.Context, reason string) error {
	user, org := currentUser(c), currentOrg(c)
	ctx := c.Request().Context()
	err := db.InOrg(ctx, s.Pool, org.ID, func(tx pgx.Tx) error {
		return audit.Record(ctx, tx, org.ID, s.Clock.Now(), audit.UserActor(user.UserID, user.Email), audit.Event{
			Action: "access.denied", TargetType: "route", TargetID: c.Request().Method + " " + c.Path(),
			Details: map[string]any{"reason": reason, "role": currentRole(c), "path": c.Request().URL.Path},
		})
	})
	if err != nil {
		return err
	}
	msg := "Your role cannot make changes here."
	if currentRole(c) == account.RoleAuditor {
		msg = "Auditor access is read-only: this action was refused and recorded in the audit log."
	}
	return echo.NewHTTPError(http.StatusForbidden, msg)
}

func isHTMX(c echo.Context) bool {
	return c.Request().Header.Get("HX-Request") == "true"
}
