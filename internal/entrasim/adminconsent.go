package entrasim

import (
	"net/http"
	"strings"
)

// adminConsentPage validates an admin-consent request
// (GET /{tenant}/v2.0/adminconsent) and shows the consent page for the
// organization.
func (s *Simulator) adminConsentPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	tenantKey := r.PathValue("tenant")
	t, e := s.resolveTenant(tenantKey, q.Get("client_id"))
	if e != nil {
		s.renderError(w, r, *e)
		return
	}
	app, e := resolveClient(t, tenantKey, q.Get("client_id"), q.Get("redirect_uri"))
	if e != nil {
		s.renderError(w, r, *e)
		return
	}
	redirectURI, state := q.Get("redirect_uri"), q.Get("state")
	graphRoot := s.graphRoot(r)
	scopes := strings.Fields(q.Get("scope"))
	g := grant{clientID: app.ClientID, graphRoot: graphRoot}
	if len(scopes) == 0 {
		redirectError(w, r, redirectURI, errMissingParam("scope"), state)
		return
	}
	for _, raw := range scopes {
		sc, ok := parseScope(raw, graphRoot)
		if !ok {
			redirectError(w, r, redirectURI, aadError{oauth: "invalid_scope", code: 70011,
				message: "The provided value for the input parameter 'scope' is not valid. The scope '" + raw + "' does not exist."}, state)
			return
		}
		switch {
		case sc.all:
			g.perms = allPermissions
		case sc.perm != 0:
			g.perms |= permissions(sc.perm)
		}
	}
	admin, ok := t.signedInAdmin()
	if !ok {
		s.renderError(w, r, aadError{status: http.StatusBadRequest, message: "The simulated tenant has no enabled Global Administrator to sign in."})
		return
	}
	g.userID = admin.ID
	s.showConsent(w, r, t, app, admin, &consentFlow{admin: true, redirectURI: redirectURI, state: state, scopes: scopes, grant: g})
}

// adminConsentDecision handles Accept or Cancel on the admin-consent page,
// redirecting as documented: admin_consent=True with tenant and scope, or the
// consent_required error.
func (s *Simulator) adminConsentDecision(w http.ResponseWriter, r *http.Request) {
	t, flow, ok := s.decisionFlow(w, r, true)
	if !ok {
		return
	}
	if r.PostForm.Get("decision") != "accept" {
		redirectWith(w, r, flow.redirectURI, [][2]string{
			{"admin_consent", "True"},
			{"error", "consent_required"},
			{"error_description", "AADSTS65004: The resource owner or authorization server denied the request."},
			{"state", flow.state},
		})
		return
	}
	redirectWith(w, r, flow.redirectURI, [][2]string{
		{"admin_consent", "True"},
		{"tenant", t.id},
		{"scope", scopeText(flow.grant.perms, flow.grant.graphRoot)},
		{"state", flow.state},
	})
}
