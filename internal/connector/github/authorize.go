package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/secret"
)

// AuthorizeURL is where the browser goes next. Before the App exists (the
// manifest path) it is GitHub's page creating an App under the
// organization, which the browser POSTs the manifest to (AuthorizeForm).
// Once the App is known by slug, it is the App's installation page. When
// only the installation ID is known (the manual path) there is nothing to
// install: the browser comes straight back to redirectURI with it, and the
// callback verifies it like any other.
func (c *Connector) AuthorizeURL(settings json.RawMessage, redirectURI, state, _ string) (string, error) {
	s, err := parseLocated(settings)
	if err != nil {
		return "", err
	}
	switch {
	case !s.hasApp():
		return ManifestFormURL(s.WebRoot, s.Org, state), nil
	case s.AppSlug != "":
		return InstallURL(s.WebRoot, s.AppSlug, state), nil
	case s.InstallationID == 0:
		return "", errors.New("github: neither the App's slug nor an installation ID")
	}
	u, err := url.Parse(redirectURI)
	if err != nil {
		return "", fmt.Errorf("github: redirect URI: %w", err)
	}
	q := u.Query()
	q.Set("installation_id", strconv.FormatInt(s.InstallationID, 10))
	q.Set("state", state)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// AuthorizeForm is the manifest the browser POSTs to GitHub before the App
// exists (nil afterwards: the other steps are redirects). GitHub sends the
// code, then the installation, back to redirectURI.
func (c *Connector) AuthorizeForm(settings json.RawMessage, redirectURI, _ string) (url.Values, error) {
	s, err := parseLocated(settings)
	if err != nil || s.hasApp() {
		return nil, err
	}
	u, err := url.Parse(redirectURI)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("github: redirect URI %q is not absolute", redirectURI)
	}
	home := u.Scheme + "://" + u.Host
	m, err := json.Marshal(NewManifest("attest "+s.Org, home, redirectURI, redirectURI))
	if err != nil {
		return nil, fmt.Errorf("github: manifest: %w", err)
	}
	return url.Values{"manifest": {string(m)}}, nil
}

// convert redeems the manifest flow's code: the App must belong to the
// organization. Its private key replaces the (empty) secret; the client
// and webhook secrets are not kept, since attest never uses them.
func (c *Connector) convert(ctx context.Context, settings json.RawMessage, code string) (connector.Grant, error) {
	s, err := parseLocated(settings)
	if err != nil {
		return connector.Grant{}, err
	}
	if s.hasApp() {
		return connector.Grant{}, errors.New("github: the connection already has its App; a manifest code is not expected")
	}
	app, err := ConvertManifest(ctx, c.HTTP, s.APIRoot, code)
	if err != nil {
		return connector.Grant{}, err
	}
	if !strings.EqualFold(app.Owner, s.Org) {
		return connector.Grant{}, fmt.Errorf("%w: the App was created under %q, expected the organization %q", ErrWrongAccount, app.Owner, s.Org)
	}
	s.AppID, s.ClientID, s.AppSlug, s.InstallationID = app.ID, app.ClientID, app.Slug, 0
	raw, err := json.Marshal(s)
	if err != nil {
		return connector.Grant{}, fmt.Errorf("github: settings: %w", err)
	}
	return connector.Grant{Secret: app.PrivateKey, Settings: raw, Continue: true}, nil
}

// Completion is what a verified installation gives the connection.
type Completion struct {
	// Settings replace the connection's: the verified installation, its
	// account's id and repository selection.
	Settings     json.RawMessage
	Installation Installation
}

// CompleteInstallation verifies the installation_id of the setup redirect
// with the App JWT (never trusting the query string: anyone can send any
// id) and returns the settings that bind it.
func (c *Connector) CompleteInstallation(ctx context.Context, settings json.RawMessage, privateKey secret.String, params url.Values) (Completion, error) {
	s, err := ParseSettings(settings)
	if err != nil {
		return Completion{}, err
	}
	id, err := strconv.ParseInt(params.Get("installation_id"), 10, 64)
	if err != nil || id <= 0 {
		return Completion{}, errors.New("github: the callback carries no installation")
	}
	inst, err := Verifier{HTTP: c.HTTP, Clock: c.clock()}.Verify(ctx, s, privateKey, id)
	if err != nil {
		return Completion{}, err
	}
	s.InstallationID, s.AccountID, s.RepositorySelection = inst.ID, inst.AccountID, inst.RepositorySelection
	raw, err := json.Marshal(s)
	if err != nil {
		return Completion{}, fmt.Errorf("github: settings: %w", err)
	}
	return Completion{Settings: raw, Installation: inst}, nil
}

// GrantedPermissions lists an installation's permissions as "name: level",
// for the grant's scopes.
func (i Installation) GrantedPermissions() []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(i.Permissions)) {
		out = append(out, k+": "+i.Permissions[k])
	}
	return out
}

// CallbackProblem explains a setup redirect that carries no installation
// (the owner left the installation page, or only requested it). The
// manifest step's redirect carries a code instead.
func (c *Connector) CallbackProblem(params url.Values) *connector.Problem {
	if params.Get("installation_id") != "" || params.Get("code") != "" {
		return nil
	}
	p := connector.Problem{Title: "The App was not installed", Class: connector.ErrorConfiguration,
		Message:  "GitHub sent you back without an installation.",
		NextStep: "An organization owner must install the App on the organization (all repositories, for complete evidence)."}
	if params.Get("setup_action") == "request" {
		p.Message = "The installation was requested, not made: an organization owner must approve it on GitHub."
	}
	return &p
}

// DescribeError explains an error of CompleteInstallation or of a sync's
// authentication.
func (c *Connector) DescribeError(err error, _ string) connector.Problem {
	var se *connector.SyncError
	switch {
	case errors.As(err, &se):
		return se.Problem
	case errors.Is(err, ErrWrongAccount):
		return connector.Problem{Title: "The App is installed on another account", Class: connector.ErrorConfiguration,
			Message: err.Error(), NextStep: "Install the App on the organization this connection names, or correct the organization."}
	case errors.Is(err, ErrPrivateKey):
		return connector.Problem{Title: "The private key is not usable", Class: connector.ErrorConfiguration,
			Message: err.Error(), NextStep: "Generate a new private key on the App's settings page and paste the whole .pem file."}
	}
	return connector.Problem{Title: "GitHub refused the request", Class: connector.ErrorTransient, Message: err.Error(),
		NextStep: "Try again; if it persists, check the API root and that GitHub is reachable."}
}

// LoginOrigins are the origins the browser is sent to: github.com's web
// root. (A GitHub Enterprise connection's web root is per connection.)
func (c *Connector) LoginOrigins() []string { return []string{DefaultWebRoot} }

// Exchange completes a step of the authorization for the platform. A
// manifest code is converted into the App (the installation follows); a
// verified installation becomes the connection's settings, its account the
// grantor, its permissions the scopes.
func (c *Connector) Exchange(ctx context.Context, req connector.ExchangeRequest) (connector.Grant, error) {
	if req.Params.Get("installation_id") == "" && req.Params.Get("code") != "" {
		return c.convert(ctx, req.Settings, req.Params.Get("code"))
	}
	done, err := c.CompleteInstallation(ctx, req.Settings, req.Credentials.Secret, req.Params)
	if err != nil {
		return connector.Grant{}, err
	}
	return connector.Grant{Settings: done.Settings, ConsentedBy: done.Installation.AccountLogin,
		Scopes: done.Installation.GrantedPermissions(), MissingScopes: done.Installation.MissingPermissions}, nil
}

// The connector implements what its definition declares.
var (
	_ connector.Connector  = (*Connector)(nil)
	_ connector.Authorizer = (*Connector)(nil)
	_ connector.FormPoster = (*Connector)(nil)
)
