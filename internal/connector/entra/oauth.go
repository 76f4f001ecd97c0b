package entra

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/oauth2"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/secret"
)

// RequestedScopes is the exact scope list for a cloud: the Graph permissions
// prefixed with the cloud's Graph root as their resource, then openid and
// offline_access.
func RequestedScopes(graphRoot string) []string {
	var out []string
	for _, s := range graphScopes {
		out = append(out, strings.TrimSuffix(graphRoot, "/")+"/"+s.Name)
	}
	for _, s := range oidcScopes {
		out = append(out, s.Name)
	}
	return out
}

func (s Settings) oauthConfig(clientSecret, redirectURI string) *oauth2.Config {
	base := strings.TrimSuffix(s.LoginRoot, "/") + "/" + url.PathEscape(s.Tenant) + "/oauth2/v2.0"
	return &oauth2.Config{
		ClientID:     s.ClientID,
		ClientSecret: clientSecret,
		RedirectURL:  redirectURI,
		Scopes:       RequestedScopes(s.GraphRoot),
		Endpoint: oauth2.Endpoint{
			AuthURL:   base + "/authorize",
			TokenURL:  base + "/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// AuthorizeURL is the tenant-specific authorize endpoint of the connection's
// cloud, with PKCE (S256) and the state.
func (c *Connector) AuthorizeURL(raw json.RawMessage, redirectURI, state, verifier string) (string, error) {
	s, err := ParseSettings(raw)
	if err != nil {
		return "", err
	}
	return s.oauthConfig("", redirectURI).AuthCodeURL(state,
		oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("response_mode", "query"),
	), nil
}

// ConsentURL is the tenant's admin-consent endpoint for the app's
// configured permissions (the consent capability).
func (c *Connector) ConsentURL(raw json.RawMessage, redirectURI, state string) (string, error) {
	s, err := ParseSettings(raw)
	if err != nil {
		return "", err
	}
	q := url.Values{
		"client_id":    {s.ClientID},
		"scope":        {strings.TrimSuffix(s.GraphRoot, "/") + "/.default"},
		"redirect_uri": {redirectURI},
		"state":        {state},
	}
	return strings.TrimSuffix(s.LoginRoot, "/") + "/" + url.PathEscape(s.Tenant) + "/v2.0/adminconsent?" + q.Encode(), nil
}

// Exchange redeems the callback's authorization code with the PKCE
// verifier and the client secret.
func (c *Connector) Exchange(ctx context.Context, req connector.ExchangeRequest) (connector.Grant, error) {
	s, err := ParseSettings(req.Settings)
	if err != nil {
		return connector.Grant{}, err
	}
	code := req.Params.Get("code")
	if code == "" {
		return connector.Grant{}, errNoCode
	}
	ctx, cancel := context.WithTimeout(context.WithValue(ctx, oauth2.HTTPClient, c.http), tokenTimeout)
	defer cancel()
	tok, err := s.oauthConfig(req.Credentials.Secret.Reveal(), req.RedirectURI).Exchange(ctx, code, oauth2.VerifierOption(req.Verifier))
	if err != nil {
		return connector.Grant{}, fmt.Errorf("entra: redeem authorization code: %w", err)
	}
	if tok.RefreshToken == "" {
		return connector.Grant{}, fmt.Errorf("entra: redeem authorization code: %w", errNoRefreshToken)
	}
	g := connector.Grant{Token: secret.New(tok.RefreshToken)}
	if scope, ok := tok.Extra("scope").(string); ok {
		g.Scopes = strings.Fields(scope)
	}
	for _, want := range graphScopes {
		if !hasScope(g.Scopes, want.Name) {
			g.MissingScopes = append(g.MissingScopes, want.Name)
		}
	}
	if idToken, ok := tok.Extra("id_token").(string); ok {
		g.ConsentedBy = idTokenUser(idToken)
	}
	return g, nil
}

// hasScope matches a granted scope with or without its resource prefix.
func hasScope(granted []string, name string) bool {
	return slices.ContainsFunc(granted, func(g string) bool {
		return strings.EqualFold(g, name) || strings.HasSuffix(strings.ToLower(g), "/"+strings.ToLower(name))
	})
}

// idTokenUser reads who consented from the id token's claims, for display
// only: the token came straight from the token endpoint over TLS, and
// nothing is authorized on its strength.
func idTokenUser(token string) string {
	parts := strings.Split(token, ".")
	if len(parts) < 2 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var claims struct {
		PreferredUsername string `json:"preferred_username"`
		UPN               string `json:"upn"`
		Name              string `json:"name"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return ""
	}
	for _, v := range []string{claims.PreferredUsername, claims.UPN, claims.Name} {
		if v != "" && len(v) <= 200 {
			return v
		}
	}
	return ""
}
