// Package connector defines what every connector declares to the pages and
// jobs: its facts, the scopes it requests, the evidence kinds it produces and
// the SOC 2 criteria they support, how to connect it, and the OAuth and sync
// operations it implements. Pages and jobs work from a Registry of
// connectors, so adding one touches neither.
//
// A connector knows nothing about HTTP handlers or the database: it builds
// URLs, talks to its provider and returns typed records.
package connector

import (
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/attesthq/attest/internal/secret"
)

// Definition is a connector's description, the single source for every page.
type Definition struct {
	Key      string
	Name     string
	Category string
	Auth     string
	// Summary is the one-paragraph description from the product page.
	Summary    string
	Cadence    time.Duration
	StaleAfter time.Duration
	// Scopes are exactly the permissions requested, nothing else.
	Scopes []Scope
	// Evidence lists the kinds of evidence the connector produces.
	Evidence []EvidenceKind
	// Steps is "How to connect".
	Steps []Step
}

// Scope is one requested permission and why it is needed.
type Scope struct {
	Name   string
	Reason string
}

// EvidenceKind is one type of evidence record and the criteria it supports.
type EvidenceKind struct {
	Kind          string
	Title         string
	Description   string
	Criteria      []string
	SchemaVersion int
	// Fields are the payload's typed fields in their documented order.
	Fields []string
}

// Step is one "How to connect" step. Body may contain the placeholder
// {redirect_uri}, which pages replace with this deployment's callback URL.
type Step struct {
	Title string
	Body  string
	// ShowRedirectURI renders the redirect URI with a copy button under the step.
	ShowRedirectURI bool
}

// Criteria lists every criterion the connector's evidence supports, in order.
func (d Definition) Criteria() []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range d.Evidence {
		for _, c := range k.Criteria {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// Field is one input of a connector's connect form.
type Field struct {
	Name        string
	Label       string
	Type        string // "text", "secret" or "select"
	Hint        string
	Placeholder string
	Required    bool
	Options     []Option
}

// Option is one choice of a select field.
type Option struct {
	Value string
	Label string
	Hint  string
}

// FieldErrors maps a field name to what is wrong with it.
type FieldErrors map[string]string

// Setup is what a valid connect form yields.
type Setup struct {
	DisplayName string
	// IdentityKey is unique per organization among live connections.
	IdentityKey string
	Settings    json.RawMessage
	Secret      secret.String
}

// Grant is what an authorization yields.
type Grant struct {
	RefreshToken secret.String
	Scopes       []string
	// ConsentedBy names the account that authorized (for display).
	ConsentedBy string
	// MissingScopes lists requested permissions the grant lacks.
	MissingScopes []string
}

// Problem is a failure explained for people: what happened, what to do next,
// and a class for the connection's state.
type Problem struct {
	Title    string
	Message  string
	NextStep string
	// Class is one of the Class constants.
	Class string
	// Code is the provider's error code, e.g. "AADSTS7000215".
	Code string
	// OfferAdminConsent suggests the admin-consent link as the next step.
	OfferAdminConsent bool
}

// Problem classes.
const (
	ClassConfiguration = "configuration"
	ClassConsent       = "consent"
	ClassNeedsReauth   = "needs_reauth"
	ClassTransient     = "transient"
	ClassCancelled     = "cancelled"
)

// Connector is one integration.
type Connector interface {
	Definition() Definition
	// Form lists the connect form's fields.
	Form() []Field
	// ParseForm validates submitted values. The secret is never echoed back.
	ParseForm(values url.Values) (Setup, FieldErrors)
	// FormDefaults are the values the form starts with.
	FormDefaults() url.Values
	// FormNotice is an optional note shown above the form.
	FormNotice() string
	OAuth
	Syncer
}

// OAuth is the authorization-code flow with PKCE.
type OAuth interface {
	// AuthorizeURL is where the user consents.
	AuthorizeURL(settings json.RawMessage, redirectURI, state, verifier string) (string, error)
	// AdminConsentURL lets an administrator grant consent for the tenant.
	AdminConsentURL(settings json.RawMessage, redirectURI, state string) (string, error)
	// Exchange redeems an authorization code.
	Exchange(ctx context.Context, settings json.RawMessage, clientSecret secret.String, redirectURI, code, verifier string) (Grant, error)
	// CallbackProblem explains an error the provider sent to the callback,
	// or returns nil when the callback carries none.
	CallbackProblem(params url.Values) *Problem
	// DescribeError explains an error returned by Exchange or a refresh.
	DescribeError(err error, redirectURI string) Problem
	// LoginOrigins are the origins the browser is sent to (for the CSP).
	LoginOrigins() []string
}

// Registry holds the configured connectors in display order.
type Registry struct {
	list   []Connector
	checks map[string]Check
}

// NewRegistry returns a registry of cs.
func NewRegistry(cs ...Connector) *Registry {
	r := &Registry{list: cs, checks: map[string]Check{}}
	for _, c := range cs {
		for _, chk := range c.Checks() {
			r.checks[chk.Key] = chk
		}
	}
	return r
}

// ChecksFor lists the keys of every check that supports criterion.
func (r *Registry) ChecksFor(criterion string) []string {
	var out []string
	for _, c := range r.list {
		for _, chk := range c.Checks() {
			if slices.Contains(chk.Criteria, criterion) {
				out = append(out, chk.Key)
			}
		}
	}
	return out
}

// Check returns the check with key from any connector.
func (r *Registry) Check(key string) (Check, bool) {
	chk, ok := r.checks[key]
	return chk, ok
}

// All returns every connector.
func (r *Registry) All() []Connector { return r.list }

// Get returns the connector with key, or nil.
func (r *Registry) Get(key string) Connector {
	for _, c := range r.list {
		if c.Definition().Key == key {
			return c
		}
	}
	return nil
}

// LoginOrigins gathers every connector's login origins.
func (r *Registry) LoginOrigins() []string {
	var out []string
	for _, c := range r.list {
		out = append(out, c.LoginOrigins()...)
	}
	return out
}

// JSONFields lists the JSON names of a struct's fields in declaration order:
// an evidence kind's typed columns.
func JSONFields(v any) []string {
	t := reflect.TypeOf(v)
	out := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// Kind returns the evidence kind with the given name.
func (d Definition) Kind(kind string) (EvidenceKind, bool) {
	for _, k := range d.Evidence {
		if k.Kind == kind {
			return k, true
		}
	}
	return EvidenceKind{}, false
}
