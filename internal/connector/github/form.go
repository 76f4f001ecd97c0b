package github

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/secret"
)

// Form field names of the manual path (the customer registered the App
// and pastes what it needs; the manifest path fills the same settings).
const (
	// FieldMethod chooses how the App comes to be (a Method).
	FieldMethod         = "method"
	FieldOrg            = "org"
	FieldAPIRoot        = "api_root"
	FieldAppID          = "app_id"
	FieldPrivateKey     = "private_key"
	FieldInstallationID = "installation_id"
)

// maxKeySize bounds a pasted private key: a 4096-bit PKCS#1 PEM is about
// 3.3 KB.
const maxKeySize = 16 << 10

// loginPattern is a GitHub login: letters, digits and single inner hyphens,
// at most 39 characters.
var loginPattern = regexp.MustCompile(`^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$`)

// How the App comes to be (FieldMethod's values).
const (
	// MethodManifest: attest prepares the App and GitHub creates it.
	MethodManifest = "manifest"
	// MethodManual: the customer registered the App and pastes it.
	MethodManual = "manual"
	// MethodSimulated: the manifest flow against the built-in simulator.
	MethodSimulated = "simulated"
)

// Form lists the connect form's fields: the method, the organization, the
// manual path's App, and the API root.
func (c *Connector) Form() []connector.Field {
	methods := []connector.Option{
		{Value: MethodManifest, Label: "Create the App on GitHub for me", Hint: "recommended: attest prepares a read-only App, you confirm it on GitHub and install it"},
		{Value: MethodManual, Label: "I registered the App myself", Hint: "paste its App ID, private key and installation ID below"},
	}
	if c.Simulated != nil {
		methods = append(methods, connector.Option{Value: MethodSimulated, Label: "Simulated organization (not GitHub)",
			Hint: "attest's built-in simulator with a generated demo organization: try the product without a GitHub organization"})
	}
	return []connector.Field{
		{Name: FieldMethod, Label: "How", Type: "select", Required: true, Options: methods,
			Hint: "How the GitHub App comes to be. Either way it is yours and read-only."},
		{Name: FieldOrg, Label: "Organization", Type: "text", Required: true, Placeholder: "e.g. acme-corp",
			Hint: "The organization's login, as in github.com/acme-corp. The installation must belong to it."},
		{Name: FieldAppID, Label: "App ID (manual only)", Type: "text", Placeholder: "e.g. 123456",
			Hint: "From the App's settings page (About → App ID), or its client ID (Iv23…)."},
		{Name: FieldPrivateKey, Label: "Private key (PEM, manual only)", Type: "secret",
			Hint: "The .pem file GitHub generated for the App, pasted whole. It is encrypted at once and never shown again."},
		{Name: FieldInstallationID, Label: "Installation ID (manual only)", Type: "text", Placeholder: "e.g. 12345678",
			Hint: "The number at the end of the installation's settings URL (…/settings/installations/12345678). attest checks it with the App's key."},
		{Name: FieldAPIRoot, Label: "API root (GitHub Enterprise only)", Type: "text", Placeholder: "e.g. https://github.example.com/api/v3",
			Hint: "Leave empty for github.com. GitHub Enterprise Server: https://HOST/api/v3. GHE.com: https://api.SUBDOMAIN.ghe.com."},
	}
}

// FormDefaults are the values the form starts with.
func (c *Connector) FormDefaults() url.Values { return url.Values{FieldMethod: {MethodManifest}} }

// FormNotice explains the simulated organization when it is offered.
func (c *Connector) FormNotice() string {
	if c.Simulated == nil {
		return ""
	}
	return "Trying attest without a GitHub organization? Choose \"Simulated organization\" and leave the other fields empty: attest creates a demo App on the built-in simulator's organization " +
		c.Simulated.Org + ". The simulator is not GitHub; its data is generated."
}

// ParseForm validates a submitted connect form. The key is never echoed
// back.
func (c *Connector) ParseForm(values url.Values) (connector.Setup, connector.FieldErrors) {
	errs := connector.FieldErrors{}
	get := func(k string) string { return strings.TrimSpace(values.Get(k)) }
	method := get(FieldMethod)
	s := Settings{Org: get(FieldOrg)}
	switch {
	case method == MethodSimulated && c.Simulated != nil:
		if s.Org == "" {
			s.Org = c.Simulated.Org
		}
		s.APIRoot, s.WebRoot = c.Simulated.APIRoot, c.Simulated.WebRoot
	case method == MethodManifest || method == MethodManual:
	default:
		errs[FieldMethod] = "Choose how the GitHub App comes to be."
	}
	if !loginPattern.MatchString(s.Org) || len(s.Org) > 39 {
		errs[FieldOrg] = "Enter the organization's login: letters, digits and single hyphens, as in github.com/acme-corp."
	}
	if method != MethodSimulated {
		var err error
		if s.APIRoot, err = NormalizeRoot(get(FieldAPIRoot), DefaultAPIRoot); err != nil {
			errs[FieldAPIRoot] = "Enter an https URL such as https://github.example.com/api/v3, or leave it empty for github.com."
		} else {
			s.WebRoot = WebRootFor(s.APIRoot)
		}
	}
	key := RepairPEM(values.Get(FieldPrivateKey))
	if method == MethodManual {
		manualApp(&s, values, errs)
	} else {
		key = ""
	}
	if len(errs) > 0 {
		return connector.Setup{}, errs
	}
	raw, err := json.Marshal(s)
	if err != nil {
		errs[FieldOrg] = "The settings could not be encoded."
		return connector.Setup{}, errs
	}
	host := s.APIRoot
	if u, err := url.Parse(s.APIRoot); err == nil {
		host = u.Host
	}
	return connector.Setup{DisplayName: s.Org, IdentityKey: strings.ToLower(host + "/" + s.Org), IdentityField: FieldOrg,
		Settings: raw, Secret: secret.New(key)}, nil
}

// manualApp reads the manual path's App ID, installation ID and private key
// into s, or their errors into errs.
func manualApp(s *Settings, values url.Values, errs connector.FieldErrors) {
	get := func(k string) string { return strings.TrimSpace(values.Get(k)) }
	id := get(FieldAppID)
	if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
		s.AppID = n
	} else if strings.HasPrefix(id, "Iv") && len(id) <= 64 && loginPattern.MatchString(strings.ReplaceAll(id, ".", "-")) {
		s.ClientID = id
	} else {
		errs[FieldAppID] = "Enter the App ID (a number) or its client ID (Iv23…)."
	}
	if n, err := strconv.ParseInt(get(FieldInstallationID), 10, 64); err == nil && n > 0 {
		s.InstallationID = n
	} else {
		errs[FieldInstallationID] = "Enter the installation ID, the number at the end of the installation's settings URL."
	}
	key := RepairPEM(values.Get(FieldPrivateKey))
	if len(key) > maxKeySize {
		errs[FieldPrivateKey] = "That is longer than any GitHub App private key."
	} else if _, err := ParsePrivateKey(secret.New(key)); err != nil {
		errs[FieldPrivateKey] = "Paste the whole .pem file GitHub generated, from -----BEGIN RSA PRIVATE KEY----- to its END line."
	}
}

// WebRootFor is the web root of an API root as github.md section 12 lays
// them out: api.github.com serves github.com, api.SUBDOMAIN.ghe.com serves
// SUBDOMAIN.ghe.com, and HOST/api/v3 serves HOST.
func WebRootFor(apiRoot string) string {
	u, err := url.Parse(apiRoot)
	if err != nil {
		return DefaultWebRoot
	}
	switch {
	case strings.HasSuffix(u.Path, "/api/v3"):
		u.Path = strings.TrimSuffix(u.Path, "/api/v3")
	case strings.HasPrefix(u.Host, "api."):
		u.Host = strings.TrimPrefix(u.Host, "api.")
	}
	return strings.TrimRight(u.String(), "/")
}

// Display shows a connection's organization, GitHub instance, App and
// installation.
func (c *Connector) Display(settings json.RawMessage) connector.Display {
	var s Settings
	_ = json.Unmarshal(settings, &s)
	app := s.ClientID
	if s.AppID > 0 {
		app = strconv.FormatInt(s.AppID, 10)
	}
	inst := "not installed yet"
	if s.InstallationID > 0 {
		inst = strconv.FormatInt(s.InstallationID, 10)
	}
	api := s.APIRoot
	if api == "" {
		api = DefaultAPIRoot
	}
	return connector.Display{Summary: s.Org, Column: connector.Item{Label: "Organization", Value: s.Org},
		Details: []connector.Item{{Label: "Organization", Value: s.Org}, {Label: "API root", Value: api}, {Label: "App", Value: app},
			{Label: "Installation", Value: inst}, {Label: "Repositories", Value: selectionText(s.RepositorySelection)}}}
}

// selectionText explains an installation's repository selection: "selected"
// is partial coverage.
func selectionText(selection string) string {
	switch selection {
	case "all":
		return "All repositories"
	case "selected":
		return "Selected repositories only: partial coverage, the evidence covers only the repositories the owner chose"
	}
	return "Not known until the installation is verified"
}
