package connector

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/attesthq/attest/internal/secret"
)

// AuthKind is how a connection authenticates to its provider. The
// definition declares it; the platform runs the flow it implies.
type AuthKind string

// Auth kinds.
const (
	// AuthOAuthCode: an OAuth 2.0 authorization code (with PKCE) redeemed
	// for a refresh token. The connect form yields a client secret
	// (Credentials.Secret); the authorization yields the refresh token
	// (Credentials.Token), which a sync may rotate through
	// SyncRequest.Rotate. The connector implements Authorizer.
	AuthOAuthCode AuthKind = "oauth_code"
	// AuthAppInstallation: an app the customer owns, installed on their
	// account. The connect form (or a manifest conversion, through
	// Grant.Secret) yields the app's private key (Credentials.Secret),
	// which the platform seals; the connector mints short-lived
	// installation tokens from it in every sync and never stores them. The
	// browser round-trip installs the app; the connector implements
	// Authorizer, verifying the installation in Exchange (never trusting
	// the redirect's query string) and returning what it learned in
	// Grant.Settings.
	AuthAppInstallation AuthKind = "app_installation"
	// AuthStaticToken: an API token pasted in the connect form
	// (Credentials.Secret). No browser round-trip: the connection becomes
	// active when the form is saved, and the first sync proves the token.
	AuthStaticToken AuthKind = "static_token"
)

// Redirects reports whether the kind sends the browser to the provider
// (the connector must then implement Authorizer).
func (k AuthKind) Redirects() bool { return k == AuthOAuthCode || k == AuthAppInstallation }

// Credentials are a connection's secret material, opaque to the platform:
// it seals each part under the organization's data key, opens them for the
// connector, and never shows or logs them. What each part holds is the
// connector's business (see the AuthKind constants).
type Credentials struct {
	// Secret is what the connect form yielded: a client secret, an app's
	// private key, an API token.
	Secret secret.String
	// Token is what the authorization yielded and a sync may rotate (a
	// refresh token). Empty for kinds without one.
	Token secret.String
}

// Capability is an optional feature a definition declares; the platform
// shows its routes and buttons only for connectors that declare it.
type Capability string

// Capabilities.
const (
	// CapabilityReauthorize: the connection can be authorized again in
	// place (a new grant for the same account) from its page.
	CapabilityReauthorize Capability = "reauthorize"
	// CapabilityConsent: an administrator can grant consent for the whole
	// account through the provider's consent page. The connector
	// implements Consenter.
	CapabilityConsent Capability = "consent"
)

// Authorizer is the browser round-trip of AuthOAuthCode and
// AuthAppInstallation. The platform generates, seals and checks the
// single-use state and the PKCE verifier, binds them to the user's session,
// and calls Exchange once per state.
type Authorizer interface {
	// AuthorizeURL is where the browser goes to authorize (a consent
	// screen, an app's installation page), carrying state. verifier is a
	// PKCE verifier the platform generated and keeps; a kind without PKCE
	// ignores it.
	AuthorizeURL(settings json.RawMessage, redirectURI, state, verifier string) (string, error)
	// Exchange completes the authorization from the callback's query
	// parameters: it redeems a code or verifies an installation.
	Exchange(ctx context.Context, req ExchangeRequest) (Grant, error)
	// CallbackProblem explains an error the provider sent to the callback,
	// or returns nil when the callback carries none.
	CallbackProblem(params url.Values) *Problem
	// DescribeError explains an error returned by Exchange or by a sync's
	// authentication.
	DescribeError(err error, redirectURI string) Problem
	// LoginOrigins are the origins the browser is sent to (for the CSP).
	LoginOrigins() []string
}

// ExchangeRequest is what Exchange gets from the platform.
type ExchangeRequest struct {
	Settings    json.RawMessage
	Credentials Credentials
	RedirectURI string
	// Params are the callback's query parameters (state already checked).
	Params   url.Values
	Verifier string
}

// Grant is what an authorization yields.
type Grant struct {
	// Token becomes Credentials.Token (a refresh token); empty when the kind
	// has none.
	Token secret.String
	// Secret, when set, replaces Credentials.Secret (an app's private key
	// obtained during the authorization).
	Secret secret.String
	// Settings, when not nil, replace the connection's settings (what the
	// authorization established, e.g. the verified installation).
	Settings json.RawMessage
	// Scopes are the permissions granted, as the provider names them.
	Scopes []string
	// ConsentedBy names the account that authorized (for display).
	ConsentedBy string
	// MissingScopes lists requested permissions the grant lacks.
	MissingScopes []string
	// Continue reports that the authorization has another browser step
	// (an app was created and must now be installed): the platform stores
	// Secret and Settings, leaves the connection's status as it is, and
	// starts a new flow for the same purpose through AuthorizeURL.
	Continue bool
}

// FormPoster is an Authorizer whose browser step may be a form the
// browser POSTs to the provider (an app manifest) instead of a redirect.
// The platform serves a page that submits it at once.
type FormPoster interface {
	// AuthorizeForm returns the fields the browser POSTs to the URL
	// AuthorizeURL returned, or nil when that step is a plain redirect.
	AuthorizeForm(settings json.RawMessage, redirectURI, state string) (url.Values, error)
}

// Consenter is the connector side of CapabilityConsent.
type Consenter interface {
	// ConsentURL is the provider's page where an administrator grants
	// consent for the whole account. Its callback carries no code: the
	// platform records the consent and the connection is authorized
	// afterwards.
	ConsentURL(settings json.RawMessage, redirectURI, state string) (string, error)
}

// Problem is a failure explained for people: what happened, what to do next,
// and a class for the connection's state.
type Problem struct {
	Title    string
	Message  string
	NextStep string
	Class    ErrorClass
	// Code is the provider's error code, shown for support.
	Code string
	// OfferConsent suggests the consent capability's link as the next step.
	OfferConsent bool
}
