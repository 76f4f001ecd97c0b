// Package integrations renders the connector catalog, an integration's page,
// the connect wizard, a connection's page and the outcome of an
// authorization.
package integrations

import (
	"strings"
	"time"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/views/layout"
)

// Card is one connector in the catalog.
type Card struct {
	Name        string
	Category    string
	Auth        string
	Cadence     string
	Summary     string
	URL         string
	StatusLabel string
	StatusChip  string
	Connected   int
	Attention   int
	// Connections are the organization's live connections of the connector.
	Connections []CardConnection
}

// CardConnection is one live connection named on a catalog card.
type CardConnection struct {
	Name     string
	Account  string
	URL      string
	LastSync *time.Time
}

// Catalog is the integrations catalog page.
type Catalog struct {
	Page  layout.Page
	Cards []Card
}

// Fact is one label/value pair in the facts grid.
type Fact struct {
	Label string
	Value string
}

// Evidence is one evidence kind the connector produces.
type Evidence struct {
	Kind        string
	Title       string
	Description string
	Criteria    []string
}

// Step is one "How to connect" step.
type Step struct {
	Number          int
	Title           string
	Body            string
	ShowRedirectURI bool
}

// Scope is one requested permission.
type Scope struct {
	Name   string
	Reason string
}

// Connector is what an integration page and the wizard show about a connector.
type Connector struct {
	Key         string
	Name        string
	Summary     string
	Facts       []Fact
	Criteria    []string
	Evidence    []Evidence
	Steps       []Step
	Scopes      []Scope
	RedirectURI string
	// Provider and Account word the pages (from the definition).
	Provider string
	Account  string
	// Intro opens "How to connect".
	Intro string
}

// ConnRow is one connection in a list.
type ConnRow struct {
	ID           string
	Name         string
	URL          string
	Status       string
	StatusLabel  string
	StatusReason string
	// Account is what the connection connects (its Display summary).
	Account string
	// Column is the connector's list column value.
	Column string
	// Settings are the connection's settings as its connector shows them.
	Settings    []Fact
	ConnectedAt *time.Time
	LastSync    *time.Time
	NextSync    *time.Time
	Freshness   string
	FreshChip   string
	Revoked     bool
	RevokedAt   *time.Time
}

// Integration is the page of one connector.
type Integration struct {
	Page        layout.Page
	Connector   Connector
	Connections []ConnRow
	CanWrite    bool
	ConnectURL  string
	// KMS says data keys are wrapped by KMS (else by the local key file).
	KMS bool
	// ColumnLabel heads the connector's own column in the connections table.
	ColumnLabel string
	// Account names what one connection connects (from the definition).
	Account string
}

// FormField is one input of the connect form, with its value and error.
type FormField struct {
	Name        string
	Label       string
	Type        string
	Hint        string
	Placeholder string
	Required    bool
	Options     []Option
	Value       string
	Error       string
}

// Option is one choice of a select field.
type Option struct {
	Value string
	Label string
	Hint  string
	// Hides are the fields this choice makes unnecessary (space-separated
	// names, for the script); Submit is the button's label while chosen.
	Hides  string
	Submit string
}

// Wizard is the connect wizard.
type Wizard struct {
	Page      layout.Page
	Connector Connector
	Fields    []FormField
	Action    string
	Notice    string
	FormError string
}

// Outcome is the page after a failed or refused authorization.
type Outcome struct {
	Page          layout.Page
	Title         string
	Message       string
	NextStep      string
	Code          string
	ConnectionURL string
	RetryURL      string
	// ConsentURL is the connector's consent capability, when the problem
	// suggests it.
	ConsentURL string
	// Provider names who answered (from the definition).
	Provider string
}

// StatusLabel describes a connection status in words.
func StatusLabel(status string) string {
	switch connector.Status(status) {
	case connector.StatusPending:
		return "Pending authorization"
	case connector.StatusActive:
		return "Active"
	case connector.StatusNeedsReauth:
		return "Needs re-authorization"
	case connector.StatusRevoked:
		return "Revoked"
	}
	return status
}

// ScopeName is a granted permission as people name it: a scope given as a
// URL (a resource's address followed by the permission) shows the
// permission alone.
func ScopeName(scope string) string {
	if i := strings.LastIndex(scope, "/"); strings.Contains(scope, "://") && i < len(scope)-1 {
		return scope[i+1:]
	}
	return scope
}

// ProviderPost is a form the browser POSTs to a provider (an app manifest).
type ProviderPost struct {
	Page     layout.Page
	Provider string
	// Action is the provider's URL.
	Action string
	Fields []PostField
}

// PostField is one hidden field of a ProviderPost.
type PostField struct {
	Name  string
	Value string
}
