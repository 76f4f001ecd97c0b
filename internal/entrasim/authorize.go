package entrasim

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// consentFlow is an authorize or admin-consent request waiting for the
// user's decision on the consent page. Its random key is the only value the
// page's form carries, so the decision cannot alter the request.
type consentFlow struct {
	admin       bool
	redirectURI string
	state       string
	scopes      []string
	challenge   string
	grant       grant
	expires     time.Time
}

// multiTenantAliases are the authority segments of multi-tenant apps.
var multiTenantAliases = []string{"common", "organizations", "consumers"}

// resolveTenant finds the tenant of a login request; for an unknown tenant it
// returns the error to show (AADSTS50194 for /common with a known app).
func (s *Simulator) resolveTenant(key, clientID string) (*Tenant, *aadError) {
	if t := s.Tenant(key); t != nil {
		return t, nil
	}
	if slices.Contains(multiTenantAliases, strings.ToLower(key)) {
		for _, t := range s.tenants {
			if _, ok := t.app(clientID); ok {
				return nil, ptr(errCommonEndpoint(clientID))
			}
		}
	}
	return nil, ptr(errUnknownTenant(key))
}

// resolveClient validates client_id and redirect_uri, which must be known
// before anything can be redirected.
func resolveClient(t *Tenant, tenantKey, clientID, redirectURI string) (AppSpec, *aadError) {
	if clientID == "" {
		return AppSpec{}, ptr(errMissingParam("client_id"))
	}
	app, ok := t.app(clientID)
	if !ok {
		return AppSpec{}, ptr(errUnknownClient(clientID, tenantKey))
	}
	if redirectURI == "" {
		return AppSpec{}, ptr(errMissingParam("redirect_uri"))
	}
	if !slices.Contains(app.RedirectURIs, redirectURI) {
		return AppSpec{}, ptr(errUnregisteredRedirect(redirectURI, app.ClientID))
	}
	return app, nil
}

// authorizePage validates an authorization request and shows the consent page.
func (s *Simulator) authorizePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	tenantKey := r.PathValue("tenant")
	t, e := s.resolveTenant(tenantKey, q.Get("client_id"))
	if e != nil {
		s.renderError(w, r, *e)
		return
	}
	t.recordAuthorize(AuthorizeRecord{
		ClientID:            q.Get("client_id"),
		RedirectURI:         q.Get("redirect_uri"),
		Scopes:              strings.Fields(q.Get("scope")),
		CodeChallengeMethod: q.Get("code_challenge_method"),
		At:                  s.now(),
	})
	app, e := resolveClient(t, tenantKey, q.Get("client_id"), q.Get("redirect_uri"))
	if e != nil {
		s.renderError(w, r, *e)
		return
	}
	redirectURI, state := q.Get("redirect_uri"), q.Get("state")
	if m := q.Get("response_mode"); m != "" && m != "query" {
		s.renderError(w, r, aadError{status: http.StatusBadRequest,
			message: "The Microsoft identity platform simulator supports response_mode=query only; the request asked for '" + m + "'."})
		return
	}
	g, challenge, e := s.validateAuthorize(r, q)
	if e != nil {
		t.setAuthorizeError(e.oauth)
		redirectError(w, r, redirectURI, *e, state)
		return
	}
	admin, ok := t.signedInAdmin()
	if !ok {
		s.renderError(w, r, aadError{status: http.StatusBadRequest, message: "The simulated tenant has no enabled Global Administrator to sign in."})
		return
	}
	g.clientID, g.userID = app.ClientID, admin.ID
	flow := &consentFlow{
		redirectURI: redirectURI, state: state,
		scopes: strings.Fields(q.Get("scope")), challenge: challenge, grant: g,
	}
	s.showConsent(w, r, t, app, admin, flow)
}

// showConsent stores flow and renders its consent page.
func (s *Simulator) showConsent(w http.ResponseWriter, r *http.Request, t *Tenant, app AppSpec, admin User, flow *consentFlow) {
	key := randomToken(32)
	now := s.now()
	flow.expires = now.Add(flowLifetime)
	t.auth.mu.Lock()
	for k, f := range t.auth.flows {
		if now.After(f.expires) {
			delete(t.auth.flows, k)
		}
	}
	t.auth.flows[key] = flow
	t.auth.mu.Unlock()
	s.renderConsent(w, consentPage{
		Admin:        flow.admin,
		TenantName:   t.name,
		TenantDomain: t.domain,
		AppName:      app.DisplayName,
		UserName:     admin.DisplayName,
		UserUPN:      admin.UserPrincipalName,
		Permissions:  consentLines(flow.scopes, flow.grant.graphRoot),
		Action:       r.URL.EscapedPath(),
		Flow:         key,
	}, flow.redirectURI)
}

// takeFlow removes and returns the pending flow named by the form, if it is
// still valid and of the expected kind.
func (s *Simulator) takeFlow(t *Tenant, key string, admin bool) (*consentFlow, bool) {
	t.auth.mu.Lock()
	defer t.auth.mu.Unlock()
	f := t.auth.flows[key]
	if f == nil {
		return nil, false
	}
	delete(t.auth.flows, key)
	return f, f.admin == admin && !s.now().After(f.expires)
}

// validateAuthorize checks the redirectable parameters of an authorization
// request: response_type, scope, PKCE and prompt.
func (s *Simulator) validateAuthorize(r *http.Request, q url.Values) (grant, string, *aadError) {
	reject := func(oauth string, code int, msg string) (grant, string, *aadError) {
		return grant{}, "", &aadError{status: http.StatusFound, oauth: oauth, code: code, message: msg}
	}
	switch rt := q.Get("response_type"); {
	case rt == "":
		return reject("invalid_request", 900144, "The request body must contain the following parameter: 'response_type'.")
	case rt != "code":
		return reject("unsupported_response_type", 70005, "The provided value for the input parameter 'response_type' is not allowed for this request. Expected value is 'code'.")
	}
	graphRoot := s.graphRoot(r)
	g, msg := exactScopes(strings.Fields(q.Get("scope")), graphRoot)
	if msg != "" {
		return reject("invalid_scope", 70011, msg)
	}
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	switch {
	case challenge == "":
		return reject("invalid_request", 900144, "The request body must contain the following parameter: 'code_challenge'.")
	case method != "S256":
		return reject("invalid_request", 50149, "Invalid Code_Challenge_method parameter. The simulator requires code_challenge_method=S256; the request sent '"+method+"'.")
	case len(challenge) != 43 || strings.Trim(challenge, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "":
		return reject("invalid_request", 501491, "Invalid size of Code_Challenge parameter.")
	}
	if q.Get("prompt") == "none" {
		return reject("interaction_required", 50058, "A silent sign-in request was sent but no user is signed in.")
	}
	g.nonce = q.Get("nonce")
	return g, challenge, nil
}

// exactScopes checks that scopes is exactly attest's least-privilege set and
// returns the grant it stands for, or the invalid_scope message.
func exactScopes(scopes []string, graphRoot string) (grant, string) {
	g := grant{graphRoot: graphRoot}
	if len(scopes) == 0 {
		return g, "The provided request must include a 'scope' input parameter."
	}
	var extra []string
	for _, raw := range scopes {
		sc, ok := parseScope(raw, graphRoot)
		switch {
		case !ok && strings.Contains(raw, "/"):
			return g, "The provided value for the input parameter 'scope' is not valid. The scope '" + raw +
				"' does not exist: this simulator's Graph resource is '" + graphRoot + "'."
		case !ok:
			return g, "The provided value for the input parameter 'scope' is not valid. The scope '" + raw + "' does not exist."
		case sc.oidc == scopeOpenID:
			g.openID = true
		case sc.oidc == scopeOfflineAccess:
			g.offline = true
		case sc.perm != 0:
			g.perms |= permissions(sc.perm)
		default:
			extra = append(extra, raw)
		}
	}
	if g.perms != allPermissions || !g.openID || !g.offline || len(extra) > 0 {
		return g, "The provided value for the input parameter 'scope' is not valid. The simulator grants exactly '" +
			scopeOpenID + " " + scopeOfflineAccess + " " + scopeText(allPermissions, graphRoot) +
			"' (least privilege); the request asked for '" + strings.Join(scopes, " ") + "'."
	}
	return g, ""
}

// authorizeDecision handles Accept or Cancel on the consent page.
func (s *Simulator) authorizeDecision(w http.ResponseWriter, r *http.Request) {
	t, flow, ok := s.decisionFlow(w, r, false)
	if !ok {
		return
	}
	if r.PostForm.Get("decision") != "accept" {
		redirectWith(w, r, flow.redirectURI, [][2]string{
			{"error", "access_denied"},
			{"error_subcode", "cancel"},
			{"error_description", "AADSTS65004: User declined to consent to access the app."},
			{"state", flow.state},
		})
		return
	}
	code := t.issueCode(flow.grant, flow.redirectURI, flow.challenge)
	redirectWith(w, r, flow.redirectURI, [][2]string{
		{"code", code},
		{"state", flow.state},
		{"session_state", randomGUID()},
	})
}

// decisionFlow resolves the tenant and pending flow of a consent decision,
// showing an error page when either is gone.
func (s *Simulator) decisionFlow(w http.ResponseWriter, r *http.Request, admin bool) (*Tenant, *consentFlow, bool) {
	t := s.Tenant(r.PathValue("tenant"))
	if t == nil {
		s.renderError(w, r, errUnknownTenant(r.PathValue("tenant")))
		return nil, nil, false
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, errMissingParam("flow"))
		return nil, nil, false
	}
	flow, ok := s.takeFlow(t, r.PostForm.Get("flow"), admin)
	if !ok {
		s.renderError(w, r, aadError{status: http.StatusBadRequest,
			message: "This sign-in request is no longer valid. Go back to the application and start again."})
		return nil, nil, false
	}
	return t, flow, true
}

// redirectError sends an authorization error to the app's redirect URI.
func redirectError(w http.ResponseWriter, r *http.Request, redirectURI string, e aadError, state string) {
	redirectWith(w, r, redirectURI, [][2]string{
		{"error", e.oauth},
		{"error_description", e.headline()},
		{"state", state},
	})
}

// redirectWith redirects to redirectURI with params appended to its query, in
// order; empty values are left out.
func redirectWith(w http.ResponseWriter, r *http.Request, redirectURI string, params [][2]string) {
	var b strings.Builder
	b.WriteString(redirectURI)
	sep := "?"
	if strings.Contains(redirectURI, "?") {
		sep = "&"
	}
	for _, p := range params {
		if p[1] == "" {
			continue
		}
		b.WriteString(sep)
		b.WriteString(url.QueryEscape(p[0]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p[1]))
		sep = "&"
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, b.String(), http.StatusFound)
}
