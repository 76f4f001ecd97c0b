package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/web"
)

// routeGuards is the guard every route must carry. A route added to the
// table without an entry here fails TestEveryRouteDeclaresItsGuard, so
// whoever adds it decides who may reach it. Paths ending in * are served
// for every method.
var routeGuards = map[string]web.Guard{
	"GET /healthz":                  web.GuardAnyone,
	"GET /readyz":                   web.GuardAnyone,
	"GET /static/*":                 web.GuardAnyone,
	"* /_entrasim/*":                web.GuardAnyone,
	"GET /login":                    web.GuardAnyone,
	"POST /login":                   web.GuardAnyone,
	"GET /invitations/:org/:token":  web.GuardAnyone,
	"POST /invitations/:org/:token": web.GuardAnyone,

	"GET /":        web.GuardSignedIn,
	"POST /logout": web.GuardSignedIn,
	"GET /api/integrations/:connector/callback": web.GuardSignedIn,

	"GET /o/:org/":                                                   web.GuardAssessment,
	"GET /o/:org/audit":                                              web.GuardMember,
	"GET /o/:org/audit/verify":                                       web.GuardMember,
	"GET /o/:org/integrations":                                       web.GuardMember,
	"GET /o/:org/integrations/:connector":                            web.GuardMember,
	"GET /o/:org/integrations/:connector/connect":                    web.GuardMember,
	"POST /o/:org/integrations/:connector/connect":                   web.GuardMember,
	"GET /o/:org/connections/:id":                                    web.GuardMember,
	"POST /o/:org/connections/:id/reauthorize":                       web.GuardMember,
	"POST /o/:org/connections/:id/consent":                           web.GuardMember,
	"POST /o/:org/connections/:id/revoke":                            web.GuardMember,
	"GET /o/:org/connections/:id/live":                               web.GuardMember,
	"POST /o/:org/connections/:id/sync":                              web.GuardMember,
	"GET /o/:org/connections/:id/checks/:check":                      web.GuardMember,
	"POST /o/:org/connections/:id/checks/:check/exclusions":          web.GuardMember,
	"POST /o/:org/connections/:id/exclusions/:exclusion/revoke":      web.GuardMember,
	"POST /o/:org/connections/:id/settings":                          web.GuardMember,
	"GET /o/:org/connections":                                        web.GuardMember,
	"GET /o/:org/controls":                                           web.GuardMember,
	"GET /o/:org/controls/:control":                                  web.GuardMember,
	"GET /o/:org/controls/scope.csv":                                 web.GuardMember,
	"POST /o/:org/controls/:control/scope":                           web.GuardMember,
	"POST /o/:org/controls/:control/owner":                           web.GuardMember,
	"GET /o/:org/alerts":                                             web.GuardMember,
	"POST /o/:org/alerts/:alert/acknowledge":                         web.GuardMember,
	"GET /o/:org/auditors":                                           web.GuardAdmin,
	"POST /o/:org/auditors/invitations":                              web.GuardOwner,
	"POST /o/:org/auditors/invitations/:invitation/revoke":           web.GuardOwner,
	"POST /o/:org/auditors/:user/revoke":                             web.GuardOwner,
	"GET /o/:org/settings":                                           web.GuardMember,
	"POST /o/:org/settings":                                          web.GuardMember,
	"POST /o/:org/settings/name":                                     web.GuardOwner,
	"GET /o/:org/settings/members":                                   web.GuardAdmin,
	"POST /o/:org/settings/members/invitations":                      web.GuardOwner,
	"POST /o/:org/settings/members/invitations/:invitation/revoke":   web.GuardOwner,
	"POST /o/:org/settings/members/:user/role":                       web.GuardOwner,
	"POST /o/:org/settings/members/:user/remove":                     web.GuardOwner,
	"GET /o/:org/evidence":                                           web.GuardMember,
	"GET /o/:org/evidence/export":                                    web.GuardMember,
	"GET /o/:org/evidence/:evidence":                                 web.GuardAssessment,
	"POST /o/:org/evidence/:evidence/attach":                         web.GuardMember,
	"GET /o/:org/assessments":                                        web.GuardMember,
	"POST /o/:org/assessments":                                       web.GuardMember,
	"GET /o/:org/assessments/:assessment":                            web.GuardAssessment,
	"GET /o/:org/assessments/:assessment/export":                     web.GuardAssessment,
	"GET /o/:org/assessments/:assessment/export.zip":                 web.GuardAssessment,
	"POST /o/:org/assessments/:assessment/submit":                    web.GuardMember,
	"POST /o/:org/assessments/:assessment/reopen":                    web.GuardMember,
	"POST /o/:org/assessments/:assessment/refresh":                   web.GuardMember,
	"POST /o/:org/assessments/:assessment/approve":                   web.GuardMember,
	"POST /o/:org/assessments/:assessment/delete":                    web.GuardMember,
	"POST /o/:org/assessments/:assessment/evidence/:evidence/remove": web.GuardMember,
	"GET /o/:org/documents":                                          web.GuardAssessment,
	"GET /o/:org/documents/new":                                      web.GuardMember,
	"GET /o/:org/documents/:document":                                web.GuardAssessment,
	"GET /o/:org/documents/:document/revisions/:revision/download":   web.GuardAssessment,
	"POST /o/:org/documents/:document/criteria":                      web.GuardMember,
	"POST /o/:org/documents/:document/criteria/:criterion/remove":    web.GuardMember,
	"POST /o/:org/documents":                                         web.GuardMember,
	"POST /o/:org/documents/:document/revisions":                     web.GuardMember,

	"GET /ops":      web.GuardOperator,
	"GET /ops/jobs": web.GuardOperator,
	"* /ops/jobs/*": web.GuardOperator,
}

// TestEveryRouteDeclaresItsGuard walks the route table: every route carries
// the guard routeGuards gives it, and a route nobody gave a guard fails.
func TestEveryRouteDeclaresItsGuard(t *testing.T) {
	t.Parallel()
	b := setup(t)
	seen := map[string]bool{}
	for _, r := range b.app.Echo().Routes() {
		if r.Method == echo.RouteNotFound {
			continue // a group's catch-all: its unknown paths answer 404 behind the group's guard
		}
		key := r.Method + " " + r.Path
		if strings.HasSuffix(r.Path, "*") && r.Path != "/static/*" {
			key = "* " + r.Path
		}
		want, ok := routeGuards[key]
		require.Truef(t, ok, "route %s %s has no guard in routeGuards: decide who may reach it", r.Method, r.Path)
		got, declared := b.app.Guard(r.Method, r.Path)
		require.Truef(t, declared, "route %s %s was registered outside the route table's groups", r.Method, r.Path)
		require.Equalf(t, want, got, "the guard of %s %s", r.Method, r.Path)
		seen[key] = true
	}
	for key := range routeGuards {
		require.Truef(t, seen[key], "routeGuards lists %s, which the route table does not have", key)
	}
}

// TestOnlyOwnersPassTheOwnerGuard: an admin is refused every owner route
// with 403 and an audit row, and an auditor every admin page, whatever the
// handler behind them does.
func TestOnlyOwnersPassTheOwnerGuard(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.member(t, b.org.ID, "admin@acme.test", ownerPassword, account.RoleAdmin, nil)
	admin := b.client(t)
	admin.Login("admin@acme.test", ownerPassword)
	admin.Get("/o/acme/") // a page, as a browser has one before it posts a form
	auditor := b.client(t)
	auditor.Login(auditorEmail, auditPassword)
	owners, admins := 0, 0
	for _, r := range b.app.Echo().Routes() {
		guard, _ := b.app.Guard(r.Method, r.Path)
		path := routeParam.ReplaceAllStringFunc(r.Path, func(p string) string {
			if p == ":org" {
				return "acme"
			}
			return "00000000-0000-0000-0000-000000000000"
		})
		switch guard {
		case web.GuardOwner:
			before := countOf(b.auditActions(t, b.org.ID), "access.denied")
			require.Equalf(t, http.StatusForbidden, admin.Post(path, url.Values{}).StatusCode, "%s %s as an admin", r.Method, r.Path)
			require.Equalf(t, before+1, countOf(b.auditActions(t, b.org.ID), "access.denied"), "%s %s leaves an audit row", r.Method, r.Path)
			owners++
		case web.GuardAdmin:
			require.Equalf(t, http.StatusForbidden, auditor.Get(path).StatusCode, "%s %s as an auditor", r.Method, r.Path)
			require.Equalf(t, http.StatusOK, admin.Get(path).StatusCode, "%s %s as an admin", r.Method, r.Path)
			admins++
		}
	}
	require.Equal(t, 8, owners, "owner routes walked")
	require.Equal(t, 2, admins, "admin routes walked")
}
