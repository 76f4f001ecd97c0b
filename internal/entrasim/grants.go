package entrasim

import (
	"sync"
	"time"
)

// Lifetimes on the Now clock.
const (
	codeLifetime     = 10 * time.Minute
	flowLifetime     = 30 * time.Minute
	refreshInactive  = 90 * 24 * time.Hour
	minTokenLifetime = 3600 // seconds
	maxTokenLifetime = 5400 // seconds
)

// AuthorizeRecord describes the last authorize request a tenant received, so
// tests can assert on what a client asked for.
type AuthorizeRecord struct {
	// ClientID is the client_id parameter.
	ClientID string
	// RedirectURI is the redirect_uri parameter.
	RedirectURI string
	// Scopes is the scope parameter split on spaces, as sent.
	Scopes []string
	// CodeChallengeMethod is the code_challenge_method parameter.
	CodeChallengeMethod string
	// Error is the OAuth error the request was answered with ("" when the
	// consent page was shown), such as "invalid_scope".
	Error string
	// At is the request time on the Now clock.
	At time.Time
}

// grant is what a user consented to for one app: the basis of codes and
// refresh tokens.
type grant struct {
	clientID  string
	userID    string
	perms     permissions
	openID    bool
	offline   bool
	graphRoot string
	nonce     string
}

// authCode is an issued authorization code.
type authCode struct {
	grant
	redirectURI string
	challenge   string
	expires     time.Time
	redeemed    bool
}

// refreshGrant is an issued refresh token.
type refreshGrant struct {
	grant
	issued time.Time
	epoch  int
}

// accessGrant is an issued access token.
type accessGrant struct {
	tenant   *Tenant
	clientID string
	perms    permissions
	expires  time.Time
}

// authState is a tenant's identity-platform state.
type authState struct {
	mu          sync.Mutex
	epoch       int       // incremented by RevokeGrants
	revokedAt   time.Time // when RevokeGrants last ran, on the Now clock
	interaction bool
	last        AuthorizeRecord
	flows       map[string]*consentFlow
	codes       map[string]*authCode
	refresh     map[string]*refreshGrant
}

func newAuthState() authState {
	return authState{
		flows:   map[string]*consentFlow{},
		codes:   map[string]*authCode{},
		refresh: map[string]*refreshGrant{},
	}
}

// RevokeGrants revokes every refresh token of the tenant, as an admin's
// "revoke sessions" does: the token endpoint answers invalid_grant
// (AADSTS50173). Access tokens stay valid until they expire.
func (t *Tenant) RevokeGrants() {
	now := t.now()
	t.auth.mu.Lock()
	defer t.auth.mu.Unlock()
	t.auth.epoch++
	t.auth.revokedAt = now
}

// RequireInteraction makes refresh-token requests answer interaction_required
// (AADSTS50076) while on is true, as after a Conditional Access change.
func (t *Tenant) RequireInteraction(on bool) {
	t.auth.mu.Lock()
	defer t.auth.mu.Unlock()
	t.auth.interaction = on
}

// LastAuthorize returns the tenant's last authorize request.
func (t *Tenant) LastAuthorize() AuthorizeRecord {
	t.auth.mu.Lock()
	defer t.auth.mu.Unlock()
	r := t.auth.last
	r.Scopes = cloneStrings(r.Scopes)
	return r
}

func (t *Tenant) recordAuthorize(r AuthorizeRecord) {
	t.auth.mu.Lock()
	defer t.auth.mu.Unlock()
	t.auth.last = r
}

func (t *Tenant) setAuthorizeError(code string) {
	t.auth.mu.Lock()
	defer t.auth.mu.Unlock()
	t.auth.last.Error = code
}

// issueCode stores a new authorization code for g.
func (t *Tenant) issueCode(g grant, redirectURI, challenge string) string {
	code := randomToken(48)
	now := t.now()
	t.auth.mu.Lock()
	defer t.auth.mu.Unlock()
	t.auth.codes[code] = &authCode{grant: g, redirectURI: redirectURI, challenge: challenge, expires: now.Add(codeLifetime)}
	return code
}

// issueRefresh stores a new refresh token for g.
func (t *Tenant) issueRefresh(g grant) string {
	token := "1." + randomToken(64)
	now := t.now()
	t.auth.mu.Lock()
	defer t.auth.mu.Unlock()
	t.auth.refresh[token] = &refreshGrant{grant: g, issued: now, epoch: t.auth.epoch}
	return token
}
