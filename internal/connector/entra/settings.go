package entra

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/google/uuid"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/secret"
)

// Settings are a connection's non-secret configuration, stored as JSON.
type Settings struct {
	Cloud     string `json:"cloud"`
	Tenant    string `json:"tenant"`
	ClientID  string `json:"client_id"`
	LoginRoot string `json:"login_root"`
	GraphRoot string `json:"graph_root"`
}

// ParseSettings decodes stored settings.
func ParseSettings(raw json.RawMessage) (Settings, error) {
	var s Settings
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("entra: settings: %w", err)
	}
	if s.Tenant == "" || s.ClientID == "" || s.LoginRoot == "" || s.GraphRoot == "" {
		return s, fmt.Errorf("entra: settings are incomplete")
	}
	return s, nil
}

// Form field names.
const (
	FieldName     = "name"
	FieldCloud    = "cloud"
	FieldTenant   = "tenant"
	FieldClientID = "client_id"
	FieldSecret   = "client_secret"
)

var domainPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$`)

// Form lists the connect form's fields.
func (c *Connector) Form() []connector.Field {
	var clouds []connector.Option
	for _, cl := range c.clouds {
		o := connector.Option{Value: cl.Key, Label: cl.Label, Hint: cl.Hint}
		if cl.Key == CloudSimulated {
			// The simulator's registration fills these in, so the
			// simulated tenant is offered first and needs none of them.
			o.Hides, o.Submit = []string{FieldTenant, FieldClientID, FieldSecret}, "Continue to the simulated tenant"
			clouds = append([]connector.Option{o}, clouds...)
			continue
		}
		clouds = append(clouds, o)
	}
	return []connector.Field{
		{Name: FieldCloud, Label: "Cloud", Type: "select", Required: true, Options: clouds,
			Hint: "Where your tenant lives. Apps must be registered in the same cloud."},
		{Name: FieldTenant, Label: "Directory (tenant) ID", Type: "text", Required: true,
			Placeholder: "00000000-0000-0000-0000-000000000000 or contoso.onmicrosoft.com",
			Hint:        "From the app's Overview page: a GUID, or one of the tenant's verified domains."},
		{Name: FieldClientID, Label: "Application (client) ID", Type: "text", Required: true,
			Placeholder: "00000000-0000-0000-0000-000000000000", Hint: "From the app's Overview page."},
		{Name: FieldSecret, Label: "Client secret value", Type: "secret", Required: true,
			Hint: "From Certificates & secrets: the secret's Value column (shown once), not its Secret ID. It is encrypted at once and never shown again."},
		{Name: FieldName, Label: "Connection name (optional)", Type: "text",
			Placeholder: "Production tenant", Hint: "How this tenant appears in attest. Defaults to the directory ID."},
	}
}

// FormDefaults are the values the form starts with: the simulated tenant
// where it is offered (development), the global cloud otherwise.
func (c *Connector) FormDefaults() url.Values {
	if c.opts.SimulatorBase != "" {
		return url.Values{FieldCloud: {CloudSimulated}}
	}
	return url.Values{FieldCloud: {CloudGlobal}}
}

// FormNotice explains the simulated tenant when the simulator is offered.
func (c *Connector) FormNotice() string {
	if c.opts.SimulatorBase == "" {
		return ""
	}
	return "Trying attest without a tenant? The simulated tenant, chosen below, needs nothing more: attest fills in the built-in simulator's demo app registration (directory " +
		c.opts.SimulatorDefaults.TenantID + ", application " + c.opts.SimulatorDefaults.ClientID + "). The simulator is not Microsoft; its tenant data is generated."
}

// ParseForm validates a submitted connect form.
func (c *Connector) ParseForm(values url.Values) (connector.Setup, connector.FieldErrors) {
	errs := connector.FieldErrors{}
	get := func(k string) string { return strings.TrimSpace(values.Get(k)) }
	cloud, ok := c.cloud(get(FieldCloud))
	if !ok {
		errs[FieldCloud] = "Choose the cloud your tenant lives in."
	}
	tenant, clientID, clientSecret := strings.ToLower(get(FieldTenant)), strings.ToLower(get(FieldClientID)), values.Get(FieldSecret)
	if cloud.Key == CloudSimulated && tenant == "" && clientID == "" && clientSecret == "" {
		d := c.opts.SimulatorDefaults
		tenant, clientID, clientSecret = d.TenantID, d.ClientID, d.ClientSecret
	}
	switch {
	case tenant == "":
		errs[FieldTenant] = "Enter the directory (tenant) ID."
	case tenant == "common" || tenant == "organizations" || tenant == "consumers":
		errs[FieldTenant] = "Use your own directory ID or domain: attest uses a single-tenant app, which \"" + tenant + "\" cannot address."
	case uuid.Validate(tenant) != nil && !domainPattern.MatchString(tenant):
		errs[FieldTenant] = "Enter a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47, or a verified domain such as contoso.onmicrosoft.com."
	}
	switch {
	case clientID == "":
		errs[FieldClientID] = "Enter the application (client) ID."
	case uuid.Validate(clientID) != nil:
		errs[FieldClientID] = "The application (client) ID is a GUID such as 00000000-0000-0000-0000-000000000000."
	}
	switch {
	case strings.TrimSpace(clientSecret) == "":
		errs[FieldSecret] = "Enter the client secret's value."
	case len(clientSecret) > 1024:
		errs[FieldSecret] = "That is longer than any Entra client secret."
	case uuid.Validate(strings.TrimSpace(clientSecret)) == nil:
		errs[FieldSecret] = "That looks like the secret's ID. Copy the secret's Value column instead."
	}
	name := get(FieldName)
	if len(name) > 200 {
		errs[FieldName] = "Use at most 200 characters."
	}
	if len(errs) > 0 {
		if _, bad := errs[FieldSecret]; !bad {
			errs[FieldSecret] = "For your security the secret is not kept when the form has errors: enter it again."
		}
		return connector.Setup{}, errs
	}
	if name == "" {
		name = tenant
		if cloud.Key == CloudSimulated && tenant == c.opts.SimulatorDefaults.TenantID {
			name = "Contoso (simulated)"
		}
	}
	settings, _ := json.Marshal(Settings{Cloud: cloud.Key, Tenant: tenant, ClientID: clientID, LoginRoot: cloud.LoginRoot, GraphRoot: cloud.GraphRoot})
	return connector.Setup{
		DisplayName:   name,
		IdentityKey:   cloud.Key + "/" + tenant + "/" + clientID,
		IdentityField: FieldTenant,
		Settings:      settings,
		Secret:        secret.New(strings.TrimSpace(clientSecret)),
	}, nil
}
