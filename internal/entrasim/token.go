package entrasim

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// tokenResponse is a successful token endpoint answer.
type tokenResponse struct {
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope"`
	ExpiresIn    int    `json:"expires_in"`
	ExtExpiresIn int    `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
}

// malformedTokenBody is the truncated answer of a Malformed token fault.
const malformedTokenBody = `{"token_type":"Bearer","scope":"User.Read.All Audit`

func secondsDuration(n int) time.Duration { return time.Duration(n) * time.Second }

// token serves POST /{tenant}/oauth2/v2.0/token.
func (s *Simulator) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		s.writeTokenError(w, r, errPOSTOnly(r.Method))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.writeTokenError(w, r, errMalformedGrant)
		return
	}
	t, e := s.resolveTenant(r.PathValue("tenant"), r.PostForm.Get("client_id"))
	if e != nil {
		s.writeTokenError(w, r, *e)
		return
	}
	t.stats.request(FamilyLogin, DatasetToken)
	at := s.mono()
	status := s.tokenAnswer(w, r, t)
	t.stats.answered(FamilyLogin, Request{At: at, Dataset: DatasetToken, Families: []Family{FamilyLogin}, Status: status,
		RetryAfter: w.Header().Get("Retry-After")})
}

// tokenAnswer answers a token request for t and returns the status (0 when
// the client went away during an injected delay).
func (s *Simulator) tokenAnswer(w http.ResponseWriter, r *http.Request, t *Tenant) int {
	if f, ok := t.faults.take(DatasetToken, 0); ok {
		f.arrived()
		if !sleep(r.Context(), f.Delay) {
			return 0
		}
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		switch {
		case f.Status != 0:
			s.writeTokenError(w, r, faultTokenError(f.Status))
			return f.Status
		case f.Malformed:
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			_, _ = w.Write([]byte(malformedTokenBody))
			return http.StatusOK
		}
	}
	resp, e := s.grantTokens(r, t)
	if e != nil {
		s.writeTokenError(w, r, *e)
		return e.status
	}
	writeTokenJSON(w, http.StatusOK, resp)
	return http.StatusOK
}

// grantTokens authenticates the client and redeems the grant.
func (s *Simulator) grantTokens(r *http.Request, t *Tenant) (tokenResponse, *aadError) {
	form := r.PostForm
	grantType := form.Get("grant_type")
	switch grantType {
	case "":
		return tokenResponse{}, ptr(errMissingParam("grant_type"))
	case "authorization_code", "refresh_token":
	default:
		return tokenResponse{}, ptr(errGrantType(grantType))
	}
	app, e := clientCredentials(r, t)
	if e != nil {
		return tokenResponse{}, e
	}
	var g grant
	if grantType == "authorization_code" {
		g, e = s.redeemCode(t, app, form)
	} else {
		g, e = s.redeemRefresh(t, app, form)
	}
	if e != nil {
		return tokenResponse{}, e
	}
	perms, e := narrowScopes(g, form.Get("scope"), s.graphRoot(r))
	if e != nil {
		return tokenResponse{}, e
	}
	lifetime := s.tokenLifetime()
	access := g
	access.perms = perms
	resp := tokenResponse{
		TokenType:    "Bearer",
		Scope:        scopeText(perms, g.graphRoot),
		ExpiresIn:    lifetime,
		ExtExpiresIn: lifetime,
		AccessToken:  s.issueAccess(t, access, lifetime),
	}
	if g.offline {
		resp.RefreshToken = t.issueRefresh(g)
	}
	if g.openID {
		resp.IDToken = s.idToken(r, t, g, lifetime)
	}
	return resp, nil
}

// clientCredentials authenticates the confidential client by client_secret in
// the body or HTTP Basic (RFC 6749 section 2.3.1, form-encoded credentials).
func clientCredentials(r *http.Request, t *Tenant) (AppSpec, *aadError) {
	clientID, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if user, pass, ok := r.BasicAuth(); ok {
		id, err1 := url.QueryUnescape(user)
		pw, err2 := url.QueryUnescape(pass)
		if err1 != nil || err2 != nil || (clientID != "" && !strings.EqualFold(clientID, id)) || (secret != "" && secret != pw) {
			return AppSpec{}, &aadError{http.StatusUnauthorized, "invalid_client", 7000215,
				"Invalid client secret provided. The client credentials in the Authorization header do not match those in the request body."}
		}
		clientID, secret = id, pw
	}
	if clientID == "" {
		return AppSpec{}, ptr(errMissingParam("client_id"))
	}
	app, ok := t.app(clientID)
	if !ok {
		return AppSpec{}, ptr(errUnknownClient(clientID, t.id))
	}
	if secret == "" {
		return AppSpec{}, ptr(errMissingSecret)
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(app.Secret)) != 1 {
		return AppSpec{}, ptr(errWrongSecret(app.ClientID))
	}
	return app, nil
}

// redeemCode redeems an authorization code: single use, unexpired, issued to
// this client for this redirect URI, and matching the PKCE verifier.
func (s *Simulator) redeemCode(t *Tenant, app AppSpec, form url.Values) (grant, *aadError) {
	code, redirectURI := form.Get("code"), form.Get("redirect_uri")
	if code == "" {
		return grant{}, ptr(errMissingParam("code"))
	}
	if redirectURI == "" {
		return grant{}, ptr(errMissingParam("redirect_uri"))
	}
	t.auth.mu.Lock()
	defer t.auth.mu.Unlock()
	c := t.auth.codes[code]
	switch {
	case c == nil || !strings.EqualFold(c.clientID, app.ClientID):
		return grant{}, ptr(errMalformedGrant)
	case c.redeemed:
		return grant{}, ptr(errCodeRedeemed)
	case s.now().After(c.expires):
		return grant{}, ptr(errCodeExpired)
	case redirectURI != c.redirectURI && !slices.Contains(app.RedirectURIs, redirectURI):
		return grant{}, ptr(errUnregisteredRedirect(redirectURI, app.ClientID))
	case redirectURI != c.redirectURI:
		return grant{}, ptr(errRedirectMismatch)
	}
	sum := sha256.Sum256([]byte(form.Get("code_verifier")))
	if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(c.challenge)) != 1 {
		return grant{}, ptr(errVerifierMismatch)
	}
	c.redeemed = true
	return c.grant, nil
}

// redeemRefresh redeems a refresh token. The old token stays valid, as with
// Microsoft, unless the tenant's grants were revoked.
func (s *Simulator) redeemRefresh(t *Tenant, app AppSpec, form url.Values) (grant, *aadError) {
	token := form.Get("refresh_token")
	if token == "" {
		return grant{}, ptr(errMissingParam("refresh_token"))
	}
	t.auth.mu.Lock()
	defer t.auth.mu.Unlock()
	rg := t.auth.refresh[token]
	switch {
	case rg == nil || !strings.EqualFold(rg.clientID, app.ClientID):
		return grant{}, ptr(errMalformedGrant)
	case rg.epoch != t.auth.epoch:
		return grant{}, ptr(errRevoked(rg.issued, t.auth.revokedAt))
	case s.now().Sub(rg.issued) > refreshInactive:
		return grant{}, ptr(errRefreshInactive)
	case t.auth.interaction:
		return grant{}, ptr(errInteraction)
	}
	return rg.grant, nil
}

// narrowScopes returns the Graph permissions of an access token: the grant's,
// or the subset named by an optional scope parameter.
func narrowScopes(g grant, scope, graphRoot string) (permissions, *aadError) {
	var want permissions
	for _, raw := range strings.Fields(scope) {
		sc, ok := parseScope(raw, graphRoot)
		if !ok {
			sc, ok = parseScope(raw, g.graphRoot)
		}
		switch {
		case !ok:
			return 0, &aadError{http.StatusBadRequest, "invalid_scope", 70011,
				"The provided value for the input parameter 'scope' is not valid. The scope '" + raw + "' does not exist."}
		case sc.all:
			want |= g.perms
		case sc.perm != 0:
			want |= permissions(sc.perm)
		}
	}
	if want == 0 {
		return g.perms, nil
	}
	if want&g.perms != want {
		return 0, ptr(errNotConsented(g.clientID))
	}
	return want, nil
}

// idToken builds an unsigned (alg "none") JWT-shaped ID token for the grant's
// user.
func (s *Simulator) idToken(r *http.Request, t *Tenant, g grant, lifetime int) string {
	now := s.now()
	claims := map[string]any{
		"aud": g.clientID,
		"iss": s.loginRoot(r) + "/" + t.id + "/v2.0",
		"iat": now.Unix(),
		"nbf": now.Unix(),
		"exp": now.Add(secondsDuration(lifetime)).Unix(),
		"oid": g.userID,
		"sub": g.userID,
		"tid": t.id,
		"ver": "2.0",
	}
	if u, ok := t.user(g.userID); ok {
		claims["name"] = u.DisplayName
		claims["preferred_username"] = u.UserPrincipalName
	}
	if g.nonce != "" {
		claims["nonce"] = g.nonce
	}
	payload, _ := json.Marshal(claims)
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	return header + "." + base64.RawURLEncoding.EncodeToString(payload) + "."
}
