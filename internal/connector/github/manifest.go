package github

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/attesthq/attest/internal/secret"
)

// Permissions is the App's read-only permission set (github.md section 14)
// and what each unlocks.
var Permissions = map[string]string{
	"metadata":                    "Repositories, their visibility and default branch, the rules of each default branch, repository collaborators.",
	"administration":              "Classic branch protection of each default branch.",
	"vulnerability_alerts":        "The organization's Dependabot alerts.",
	"members":                     "Members with their role, and outside collaborators.",
	"organization_administration": "The owner-only organization settings: the 2FA requirement, the base permission, who may create repositories.",
	"organization_plan":           "The organization's plan, which explains branch protection unavailable on the Free plan.",
}

// Manifest is the App manifest of GitHub's manifest flow: read-only
// permissions, no webhook, no events.
type Manifest struct {
	Name               string            `json:"name"`
	URL                string            `json:"url"`
	HookAttributes     hookAttributes    `json:"hook_attributes"`
	RedirectURL        string            `json:"redirect_url"`
	SetupURL           string            `json:"setup_url"`
	Description        string            `json:"description"`
	Public             bool              `json:"public"`
	DefaultEvents      []string          `json:"default_events"`
	DefaultPermissions map[string]string `json:"default_permissions"`
}

type hookAttributes struct {
	URL    string `json:"url"`
	Active bool   `json:"active"`
}

// NewManifest builds the manifest of a customer's App: name, the product
// URL, where GitHub sends the code (redirectURL) and the installer
// (setupURL). The App is private (only its owner, the organization, can
// install it), its webhook inactive (github.md leaves open whether the hook
// URL may be omitted, so it names a reserved host).
func NewManifest(name, homeURL, redirectURL, setupURL string) Manifest {
	perms := map[string]string{}
	for p := range Permissions {
		perms[p] = "read"
	}
	return Manifest{Name: name, URL: homeURL, HookAttributes: hookAttributes{URL: "https://example.invalid/github-webhook"},
		RedirectURL: redirectURL, SetupURL: setupURL, Description: "Read-only SOC 2 evidence collection by attest.",
		DefaultEvents: []string{}, DefaultPermissions: perms}
}

// ManifestFormURL is where the browser posts the manifest (form field
// "manifest") to create the App under org.
func ManifestFormURL(webRoot, org, state string) string {
	return webRoot + "/organizations/" + url.PathEscape(org) + "/settings/apps/new?" + url.Values{"state": {state}}.Encode()
}

// InstallURL sends the owner to install the App.
func InstallURL(webRoot, appSlug, state string) string {
	return webRoot + "/apps/" + url.PathEscape(appSlug) + "/installations/new?" + url.Values{"state": {state}}.Encode()
}

// AppCredentials is what the manifest conversion hands out once. The
// secrets must be sealed at once.
type AppCredentials struct {
	ID            int64
	Slug          string
	ClientID      string
	Owner         string
	PrivateKey    secret.String
	ClientSecret  secret.String
	WebhookSecret secret.String
}

// ConvertManifest redeems the manifest flow's code (no authentication; the
// code is valid for one hour and once).
func ConvertManifest(ctx context.Context, hc *http.Client, apiRoot, code string) (AppCredentials, error) {
	root, err := NormalizeRoot(apiRoot, DefaultAPIRoot)
	if err != nil {
		return AppCredentials{}, fmt.Errorf("github: api root: %w", err)
	}
	c := &client{http: hc, root: root, clock: RealClock{}, retry: Retry{Attempts: 1},
		auth: func(context.Context) (string, error) { return "", nil }}
	r, err := c.do(ctx, routeManifestConversion, http.MethodPost, "/app-manifests/"+url.PathEscape(code)+"/conversions", nil)
	if err != nil {
		return AppCredentials{}, fmt.Errorf("github: convert manifest: %w", err)
	}
	var body struct {
		ID            int64   `json:"id"`
		Slug          string  `json:"slug"`
		ClientID      string  `json:"client_id"`
		ClientSecret  string  `json:"client_secret"`
		WebhookSecret *string `json:"webhook_secret"`
		PEM           string  `json:"pem"`
		Owner         struct {
			Login string `json:"login"`
		} `json:"owner"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil || body.ID == 0 || body.PEM == "" {
		return AppCredentials{}, fmt.Errorf("%w: manifest conversion", ErrMalformed)
	}
	out := AppCredentials{ID: body.ID, Slug: body.Slug, ClientID: body.ClientID, Owner: body.Owner.Login,
		PrivateKey: secret.New(body.PEM), ClientSecret: secret.New(body.ClientSecret)}
	if body.WebhookSecret != nil {
		out.WebhookSecret = secret.New(*body.WebhookSecret)
	}
	if _, err := ParsePrivateKey(out.PrivateKey); err != nil {
		return AppCredentials{}, fmt.Errorf("github: convert manifest: %w", err)
	}
	return out, nil
}
