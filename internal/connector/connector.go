// Package connector is the connector platform's contract: what every
// connector declares (its definition: auth kind, capabilities, settings and
// how they are shown, datasets and evidence kinds with schema versions,
// checks with their parameters, documented rate limits) and the few
// operations it implements (parse its connect form, authorize if its auth
// kind needs the browser, open a sync session, collect one dataset,
// evaluate one check). The platform (this package's runner, connection,
// syncer, evidence) does the rest once for every connector: sealing
// credentials, the authorization state, token rotation persistence,
// concurrent dataset collection, the unknown-is-never-pass rule, evidence
// writing and run history. Pages and jobs work from a Registry, so adding a
// connector touches neither.
//
// A connector knows nothing about HTTP handlers or the database: it builds
// URLs, talks to its provider and returns typed records.
//
// Adding a connector touches no generic code: implement Connector (its
// Definition, connect form, Display, Datasets, Checks, Open returning a
// Session that Collects one dataset and Evaluates one check), plus
// Authorizer when its AuthKind redirects and Consenter when it declares
// CapabilityConsent (Validate checks this when the registry is built), pace
// its requests with package pace from its declared families, and register
// it in cmd/attest. For an app installation, Exchange receives the
// callback's query (the installation id) and must verify it with the app's
// own credentials before returning the Grant; Grant.Settings stores what
// it verified and Grant.Secret replaces the sealed key. A step where the
// browser must POST a form to the provider (an app manifest) is a
// FormPoster; an authorization of several browser steps (create the app,
// then install it) returns Grant.Continue from each step but the last.
package connector

import (
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
	// Auth is how authentication is described to people ("OAuth 2.0").
	Auth string
	// AuthKind is the flow the platform runs for it.
	AuthKind AuthKind
	// Capabilities are the optional features the connector implements.
	Capabilities []Capability
	// Provider names the provider in sentences ("<Provider> refused
	// attest's authorization").
	Provider string
	// Account names what one connection connects, in sentences
	// ("organization", "workspace").
	Account string
	// Limits are the provider's documented rate limits, which the
	// connector's pacing enforces (shown on the integration page).
	Limits []RateLimit
	// Summary is the one-paragraph description from the product page.
	Summary    string
	Cadence    time.Duration
	StaleAfter time.Duration
	// Scopes are exactly the permissions requested, nothing else.
	Scopes []Scope
	// Evidence lists the kinds of evidence the connector produces.
	Evidence []EvidenceKind
	// ConnectIntro opens "How to connect".
	ConnectIntro string
	// Steps is "How to connect".
	Steps []Step
}

// Has reports whether the definition declares capability c.
func (d Definition) Has(c Capability) bool { return slices.Contains(d.Capabilities, c) }

// RateLimit is one documented provider limit: at most N requests (or units)
// in any sliding window of W.
type RateLimit struct {
	// Family names the endpoints the limit covers.
	Family string
	N      int
	W      time.Duration
	// Source is where the provider documents it.
	Source string
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
	// Hides names the fields this choice makes unnecessary: the wizard hides
	// them while it is chosen (all stay shown without a script).
	Hides []string
	// Submit, when set, is the submit button's label while this choice is
	// chosen, saying where the button goes.
	Submit string
}

// FieldErrors maps a field name to what is wrong with it.
type FieldErrors map[string]string

// Setup is what a valid connect form yields.
type Setup struct {
	DisplayName string
	// IdentityKey is unique per organization among live connections.
	IdentityKey string
	// IdentityField is the form field an "already connected" error is
	// shown on (the field the identity mostly comes from).
	IdentityField string
	Settings      json.RawMessage
	Secret        secret.String
}

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
	Displayer
	Syncer
}

// AuthorizerOf returns c's browser round-trip, or false when its auth
// kind has none.
func AuthorizerOf(c Connector) (Authorizer, bool) {
	a, ok := c.(Authorizer)
	return a, ok && c.Definition().AuthKind.Redirects()
}

// ConsenterOf returns c's consent capability, or false when it declares
// none.
func ConsenterOf(c Connector) (Consenter, bool) {
	a, ok := c.(Consenter)
	return a, ok && c.Definition().Has(CapabilityConsent)
}

// Registry holds the configured connectors in display order.
type Registry struct {
	list   []Connector
	checks map[string]Check
}

// NewRegistry returns a registry of cs. It panics when a connector does
// not implement what its definition declares (see Validate): a programming
// error, caught at startup and by every test that builds a registry.
func NewRegistry(cs ...Connector) *Registry {
	r := &Registry{list: cs, checks: map[string]Check{}}
	for _, c := range cs {
		if err := Validate(c); err != nil {
			panic(err)
		}
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
		if a, ok := AuthorizerOf(c); ok {
			out = append(out, a.LoginOrigins()...)
		}
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
