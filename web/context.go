package web

import (
	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/views/layout"
)

// Context keys set by middleware.
const (
	ctxRequestID  = "attest.request_id"
	ctxCookie     = "attest.cookie"
	ctxUser       = "attest.user"
	ctxOrg        = "attest.org"
	ctxRole       = "attest.role"
	ctxOrgs       = "attest.orgs"
	ctxOpenAlerts = "attest.open_alerts"
	// ctxOrgVersion is the organization's read version, read when the
	// request was admitted.
	ctxOrgVersion = "attest.org_version"
	// ctxAssessmentLimit holds the one assessment a limited auditor may see.
	ctxAssessmentLimit = "attest.assessment_limit"
)

func requestID(c echo.Context) string {
	id, _ := c.Get(ctxRequestID).(string)
	return id
}

func cookieSession(c echo.Context) *sessions.Session {
	s, _ := c.Get(ctxCookie).(*sessions.Session)
	return s
}

// currentUser is the signed-in user, or nil.
func currentUser(c echo.Context) *auth.Session {
	u, _ := c.Get(ctxUser).(*auth.Session)
	return u
}

// currentOrg is the organization the request is scoped to; only routes in
// the organization group have one.
func currentOrg(c echo.Context) dbsqlc.Organization {
	o, _ := c.Get(ctxOrg).(dbsqlc.Organization)
	return o
}

// currentRole is the user's role in the current organization.
func currentRole(c echo.Context) string {
	r, _ := c.Get(ctxRole).(string)
	return r
}

func userOrgs(c echo.Context) []layout.Org {
	o, _ := c.Get(ctxOrgs).([]layout.Org)
	return o
}
