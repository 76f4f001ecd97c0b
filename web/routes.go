package web

import (
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/attesthq/attest/static"
)

// routes is the one route table. Each route is registered in a group that
// declares its Guard and carries the middleware enforcing it:
//
//	anyone       health checks, static files, sign-in, invitations
//	signedIn     a live session (requireSession)
//	member       /o/:org/... scoped to one organization the user belongs to
//	             (requireOrg); every unsafe method is refused for auditors
//	             (readOnlyForAuditors), and an auditor limited to one
//	             assessment is refused (limitToAssessment)
//	limited      member routes also open to an auditor limited to one
//	             assessment, each group with the rule that keeps them inside it
//	admins       the team and the auditors: owners and admins (requireAdmin)
//	owners       changing the team, inviting and revoking: owners only
//	             (requireOwner)
//	ops          /ops/... the platform operators' console, apart from every
//	             organization: the session and operator check run before
//	             anything else can answer, so everyone else, signed in or not,
//	             gets a plain 404 (requireOperator)
//
// Downloads are limited in number, per organization and in total, and cut
// off when their client stalls (limitExports).
func (s *Server) routes() {
	e := s.echo
	s.table = map[string]routeInfo{}
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: 308,
		Skipper: func(c echo.Context) bool { return isOrgRoot(c) || isJobsUI(c) }}))
	e.Use(s.requestContext, middleware.Recover(), s.securityHeaders(s.Connectors.LoginOrigins()),
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "2M", Skipper: isDocumentUpload}))
	e.Use(refuseBadText) // after routing: path parameters are known

	anyone := s.group("", GuardAnyone)
	anyone.GET("/healthz", s.healthz)
	anyone.GET("/readyz", s.readyz)
	anyone.GET(static.Prefix+"*", echo.WrapHandler(static.Handler()))
	for prefix, h := range s.Simulators {
		anyone.Any(prefix+"/*", echo.WrapHandler(h))
	}

	app := s.group("", GuardAnyone, s.loadCookie, s.checkCSRF)
	app.GET("/login", s.loginPage)
	app.POST("/login", s.login)
	app.GET("/invitations/:org/:token", s.invitationShow)
	app.POST("/invitations/:org/:token", s.invitationAccept)

	signedIn := app.sub("", GuardSignedIn, s.requireSession)
	signedIn.GET("/", s.home)
	signedIn.POST("/logout", s.logout)
	signedIn.GET("/api/integrations/:connector/callback", s.oauthCallback)

	member := signedIn.sub("/o/:org", GuardMember, s.requireOrg, s.readOnlyForAuditors, s.limitToAssessment)
	admins := member.with(GuardAdmin, s.requireAdmin)
	owners := member.with(GuardOwner, s.requireOwner)
	member.limited(toTheAssessment).GET("/", s.dashboardShow)
	member.GET("/audit", s.auditList)
	member.GET("/audit/verify", s.auditVerify)
	member.GET("/integrations", s.integrationsList)
	member.GET("/integrations/:connector", s.integrationShow)
	member.GET("/integrations/:connector/connect", s.connectNew)
	member.POST("/integrations/:connector/connect", s.connectCreate)
	member.GET("/connections/:id", s.connectionShow)
	member.POST("/connections/:id/reauthorize", s.connectionReauthorize)
	member.POST("/connections/:id/consent", s.connectionConsent)
	member.POST("/connections/:id/revoke", s.connectionRevoke)
	member.GET("/connections/:id/live", s.connectionLive)
	member.POST("/connections/:id/sync", s.connectionSync)
	member.GET("/connections/:id/checks/:check", s.checkShow)
	member.GET("/connections/:id/checks/:check/failing.csv", s.checkFailingExport, s.limitExports)
	member.POST("/connections/:id/checks/:check/exclusions", s.exclusionCreate)
	member.POST("/connections/:id/exclusions/:exclusion/revoke", s.exclusionRevoke)
	member.POST("/connections/:id/settings", s.connectionSettings)
	member.GET("/connections", s.connectionsList)
	member.GET("/controls", s.controlsList)
	member.GET("/controls/:control", s.controlShow)
	member.GET("/controls/scope.csv", s.scopeExport)
	member.POST("/controls/:control/scope", s.controlScopeSet)
	member.POST("/controls/:control/owner", s.controlOwnerSet)
	member.GET("/alerts", s.alertsList)
	member.POST("/alerts/:alert/acknowledge", s.alertAcknowledge)
	admins.GET("/auditors", s.auditorsList)
	owners.POST("/auditors/invitations", s.invitationCreate)
	owners.POST("/auditors/invitations/:invitation/revoke", s.invitationRevoke("/auditors"))
	owners.POST("/auditors/:user/revoke", s.auditorRevoke)
	member.GET("/settings", s.settingsShow)
	member.POST("/settings", s.settingsUpdate)
	owners.POST("/settings/name", s.settingsRename)
	admins.GET("/settings/members", s.membersList)
	owners.POST("/settings/members/invitations", s.memberInvite)
	owners.POST("/settings/members/invitations/:invitation/revoke", s.invitationRevoke("/settings/members"))
	owners.POST("/settings/members/:user/role", s.memberRoleSet)
	owners.POST("/settings/members/:user/remove", s.memberRemove)
	member.GET("/evidence", s.evidenceList)
	member.GET("/evidence/export", s.evidenceExport, s.limitExports)
	member.limited(attachedOnly).GET("/evidence/:evidence", s.evidenceShow)
	member.POST("/evidence/:evidence/attach", s.assessmentAttach)
	member.GET("/assessments", s.assessmentsList)
	member.POST("/assessments", s.assessmentCreate)
	assessment := member.limited(inTheAssessment)
	assessment.GET("/assessments/:assessment", s.assessmentShow)
	assessment.GET("/assessments/:assessment/export", s.assessmentExport, s.limitExports)
	assessment.GET("/assessments/:assessment/export.zip", s.assessmentZip, s.limitExports)
	member.POST("/assessments/:assessment/submit", s.assessmentStep(s.assessmentSubmit))
	member.POST("/assessments/:assessment/reopen", s.assessmentStep(s.assessmentReopen))
	member.POST("/assessments/:assessment/refresh", s.assessmentStep(s.assessmentRefresh))
	member.POST("/assessments/:assessment/approve", s.assessmentStep(s.assessmentApprove))
	member.POST("/assessments/:assessment/delete", s.assessmentStep(s.assessmentDelete))
	member.POST("/assessments/:assessment/evidence/:evidence/remove", s.assessmentDetach)
	documents := member.limited(shownByHandler) // the handlers show a limited auditor only the assessment's documents
	documents.GET("/documents", s.documentsList)
	member.GET("/documents/new", s.documentNew)
	documents.GET("/documents/:document", s.documentShow)
	documents.GET("/documents/:document/revisions/:revision/download", s.documentDownload)
	member.POST("/documents/:document/criteria", s.documentLink)
	member.POST("/documents/:document/criteria/:criterion/remove", s.documentUnlink)
	// Uploads stream their body: the member group's guards without
	// checkCSRF, which would read the whole form; readUpload checks the
	// token in order and bounds the body by the document size limit instead
	// of 2 MB.
	upload := s.group("/o/:org", GuardMember).with(GuardMember, s.loadCookie, s.requireSession, s.requireOrg, s.readOnlyForAuditors, s.limitToAssessment)
	upload.POST("/documents", s.documentCreate)
	upload.POST("/documents/:document/revisions", s.documentRevise)

	ops := s.group("/ops", GuardOperator, s.loadCookie, s.requireOperator)
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
