package web

import (
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/attesthq/attest/static"
)

// sessionRoutes are the unsafe routes outside an organization: they change
// only the caller's own session, so the read-only guard does not apply.
var sessionRoutes = map[string]bool{
	"POST /login":  true,
	"POST /logout": true,
	// Accepting an invitation signs the auditor in, as the login form does.
	"POST /invitations/:org/:token": true,
}

// routes is the one route table. Guards are attached per group here:
//
//	public      health checks, static files, sign-in
//	signedIn    a live session (requireSession)
//	org         /o/:org/... scoped to one organization the user belongs to;
//	            every unsafe method is refused for auditors (readOnlyForAuditors),
//	            and an auditor limited to one assessment sees only it
//	            (limitToAssessment); the team (settings/name, settings/members)
//	            is changed by owners only (requireOwner)
//	            Downloads are limited in number, per organization and in
//	            total, and cut off when their client stalls (limitExports).
//	ops         /ops/... the platform operators' console, apart from every
//	            organization: the session and operator check run before
//	            anything else can answer, so everyone else, signed in or not,
//	            gets a plain 404 (requireOperator)
func (s *Server) routes() {
	e := s.echo
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: 308,
		Skipper: func(c echo.Context) bool { return isOrgRoot(c) || isJobsUI(c) }}))
	e.Use(s.requestContext, middleware.Recover(), s.securityHeaders(s.Connectors.LoginOrigins()),
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "2M", Skipper: isDocumentUpload}))
	e.Use(refuseBadText) // after routing: path parameters are known

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET(static.Prefix+"*", echo.WrapHandler(static.Handler()))
	if s.Simulator != nil {
		e.Any("/_entrasim/*", echo.WrapHandler(s.Simulator))
	}

	app := e.Group("", s.loadCookie, s.checkCSRF)
	app.GET("/login", s.loginPage)
	app.POST("/login", s.login)
	app.GET("/invitations/:org/:token", s.invitationShow)
	app.POST("/invitations/:org/:token", s.invitationAccept)

	signedIn := app.Group("", s.requireSession)
	signedIn.GET("/", s.home)
	signedIn.POST("/logout", s.logout)
	signedIn.GET("/api/integrations/:connector/callback", s.oauthCallback)

	org := signedIn.Group("/o/:org", s.requireOrg, s.readOnlyForAuditors, s.limitToAssessment)
	org.GET("/", s.dashboardShow)
	org.GET("/audit", s.auditList)
	org.GET("/audit/verify", s.auditVerify)
	org.GET("/integrations", s.integrationsList)
	org.GET("/integrations/:connector", s.integrationShow)
	org.GET("/integrations/:connector/connect", s.connectNew)
	org.POST("/integrations/:connector/connect", s.connectCreate)
	org.GET("/connections/:id", s.connectionShow)
	org.POST("/connections/:id/reauthorize", s.connectionReauthorize)
	org.POST("/connections/:id/admin-consent", s.connectionAdminConsent)
	org.POST("/connections/:id/revoke", s.connectionRevoke)
	org.GET("/connections/:id/live", s.connectionLive)
	org.POST("/connections/:id/sync", s.connectionSync)
	org.GET("/connections/:id/checks/:check", s.checkShow)
	org.POST("/connections/:id/checks/:check/exclusions", s.exclusionCreate)
	org.POST("/connections/:id/exclusions/:exclusion/revoke", s.exclusionRevoke)
	org.POST("/connections/:id/settings", s.connectionSettings)
	org.GET("/connections", s.connectionsList)
	org.GET("/controls", s.controlsList)
	org.GET("/controls/:control", s.controlShow)
	org.GET("/controls/scope.csv", s.scopeExport)
	org.POST("/controls/:control/scope", s.controlScopeSet)
	org.POST("/controls/:control/owner", s.controlOwnerSet)
	org.GET("/alerts", s.alertsList)
	org.POST("/alerts/:alert/acknowledge", s.alertAcknowledge)
	org.GET("/auditors", s.auditorsList)
	org.POST("/auditors/invitations", s.invitationCreate)
	org.POST("/auditors/invitations/:invitation/revoke", s.invitationRevoke("/auditors"))
	org.POST("/auditors/:user/revoke", s.auditorRevoke)
	org.GET("/settings", s.settingsShow)
	org.POST("/settings", s.settingsUpdate)
	org.POST("/settings/name", s.settingsRename, s.requireOwner)
	org.GET("/settings/members", s.membersList)
	org.POST("/settings/members/invitations", s.memberInvite, s.requireOwner)
	org.POST("/settings/members/invitations/:invitation/revoke", s.invitationRevoke("/settings/members"), s.requireOwner)
	org.POST("/settings/members/:user/role", s.memberRoleSet, s.requireOwner)
	org.POST("/settings/members/:user/remove", s.memberRemove, s.requireOwner)
	org.GET("/evidence", s.evidenceList)
	org.GET("/evidence/export", s.evidenceExport, s.limitExports)
	org.GET("/evidence/:evidence", s.evidenceShow)
	org.POST("/evidence/:evidence/attach", s.assessmentAttach)
	org.GET("/assessments", s.assessmentsList)
	org.POST("/assessments", s.assessmentCreate)
	org.GET("/assessments/:assessment", s.assessmentShow)
	org.GET("/assessments/:assessment/export", s.assessmentExport, s.limitExports)
	org.GET("/assessments/:assessment/export.zip", s.assessmentZip, s.limitExports)
	org.POST("/assessments/:assessment/submit", s.assessmentStep(s.assessmentSubmit))
	org.POST("/assessments/:assessment/reopen", s.assessmentStep(s.assessmentReopen))
	org.POST("/assessments/:assessment/refresh", s.assessmentStep(s.assessmentRefresh))
	org.POST("/assessments/:assessment/approve", s.assessmentStep(s.assessmentApprove))
	org.POST("/assessments/:assessment/delete", s.assessmentStep(s.assessmentDelete))
	org.POST("/assessments/:assessment/evidence/:evidence/remove", s.assessmentDetach)
	org.GET("/documents", s.documentsList)
	org.GET("/documents/new", s.documentNew)
	org.GET("/documents/:document", s.documentShow)
	org.GET("/documents/:document/revisions/:revision/download", s.documentDownload)
	org.POST("/documents/:document/criteria", s.documentLink)
	org.POST("/documents/:document/criteria/:criterion/remove", s.documentUnlink)
	// p3: a check's failing subjects as CSV.
	org.GET("/connections/:id/checks/:check/failing.csv", s.checkFailingExport, s.limitExports)
	// Uploads stream their body: the org group's guards without checkCSRF,
	// which would read the whole form; readUpload checks the token in order
	// and bounds the body by the document size limit instead of 2 MB.
	upload := []echo.MiddlewareFunc{s.loadCookie, s.requireSession, s.requireOrg, s.readOnlyForAuditors, s.limitToAssessment}
	e.POST("/o/:org/documents", s.documentCreate, upload...)
	e.POST("/o/:org/documents/:document/revisions", s.documentRevise, upload...)

	ops := e.Group("/ops", s.loadCookie, s.requireOperator)
	ops.GET("", s.opsHealth)
	if s.JobsUI != nil {
		// The River UI's own pages and JSON API, with its own paths below
		// the prefix; it posts without the form token (see sameOrigin).
		jobsUI := echo.WrapHandler(s.JobsUI)
		ops.GET("/jobs", jobsUI) // redirects to /ops/jobs/
		ops.Any("/jobs/*", jobsUI, sameOrigin(), jobsUIStyles)
	}
}

// isJobsUI keeps the River UI's paths as they are: it redirects its root to
// the trailing-slash form itself.
func isJobsUI(c echo.Context) bool {
	return strings.HasPrefix(c.Request().URL.Path, JobsUIPrefix+"/")
}

// isOrgRoot keeps the trailing slash of /o/:org/ (the organization's home).
func isOrgRoot(c echo.Context) bool {
	p := c.Request().URL.Path
	if len(p) < 4 || p[:3] != "/o/" {
		return false
	}
	rest := p[3:]
	for i, r := range rest {
		if r == '/' {
			return i == len(rest)-1
		}
	}
	return false
}
