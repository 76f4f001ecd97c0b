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

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/secret"
)

// AuthorizeURL is where the browser goes to install the App: its
// installation page when the App is known by slug (the manifest path).
// When the installation ID was given (the manual path) there is nothing to
// install: the browser comes straight back to redirectURI with it, and the
// callback verifies it like any other.
func (c *Connector) AuthorizeURL(settings json.RawMessage, redirectURI, state, _ string) (string, error) {
	s, err := ParseSettings(settings)
	if err != nil {
		return "", err
	}
	if s.AppSlug != "" && s.InstallationID == 0 {
		return InstallURL(s.WebRoot, s.AppSlug, state), nil
	}
	if s.InstallationID == 0 {
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
// (the owner left the installation page, or only requested it).
func (c *Connector) CallbackProblem(params url.Values) *connector.Problem {
	if params.Get("installation_id") != "" {
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

// Exchange completes the installation round-trip for the platform: the
// verified installation becomes the connection's settings, its account the
// grantor, its permissions the scopes.
func (c *Connector) Exchange(ctx context.Context, req connector.ExchangeRequest) (connector.Grant, error) {
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
)
