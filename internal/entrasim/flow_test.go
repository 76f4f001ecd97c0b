package entrasim_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/attesthq/attest/internal/entrasim"
)

func TestAuthorizeConsentPage(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	verifier := oauth2.GenerateVerifier()
	resp, doc := b.page(t, b.conf.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)))
	require.Equal(t, http.StatusOK, resp.StatusCode)

	csp := resp.Header.Get("Content-Security-Policy")
	require.Contains(t, csp, "default-src 'none'")
	require.Contains(t, csp, "style-src 'self'")
	require.Contains(t, csp, "form-action 'self' https://attest.example")
	html, err := doc.Html()
	require.NoError(t, err)
	require.NotContains(t, html, "<script")
	require.NotContains(t, html, "<style")
	require.NotContains(t, html, "style=")

	lang, _ := doc.Find("html").Attr("lang")
	require.Equal(t, "en", lang)
	require.Equal(t, 1, doc.Find("main").Length())
	require.Equal(t, 1, doc.Find("h1").Length())
	require.Contains(t, doc.Find("[data-testid=sim-banner]").Text(), "Simulated Microsoft sign-in — not Microsoft")
	require.Contains(t, doc.Find("[data-testid=tenant]").Text(), entrasim.DefaultTenantName)
	require.Equal(t, entrasim.DefaultAppName, doc.Find("[data-testid=app-name]").Text())
	require.Contains(t, doc.Find("[data-testid=signed-in-user]").Text(), "@"+entrasim.DefaultTenantDomain)

	var scopes []string
	doc.Find("[data-testid=permission]").Each(func(_ int, li *goquery.Selection) {
		scopes = append(scopes, li.Find("code").Text())
		require.NotEmpty(t, li.Find(".description").Text())
	})
	require.ElementsMatch(t, []string{"openid", "offline_access", "User.Read.All", "AuditLog.Read.All", "Policy.Read.All", "IdentityRiskyUser.Read.All"}, scopes)

	form := doc.Find(`form[method="post"]`)
	require.Equal(t, 1, form.Length())
	require.Equal(t, 2, form.Find("button[type=submit]").Length())
	require.Equal(t, "Accept", strings.TrimSpace(form.Find("[data-testid=accept]").Text()))
	require.Equal(t, "Cancel", strings.TrimSpace(form.Find("[data-testid=cancel]").Text()))

	css, _ := doc.Find(`link[rel=stylesheet]`).Attr("href")
	require.Equal(t, basePath+"/login/_sim.css", css)
	cssResp, err := http.Get(b.srv.URL + css)
	require.NoError(t, err)
	defer cssResp.Body.Close()
	require.Equal(t, http.StatusOK, cssResp.StatusCode)
	require.Equal(t, "text/css; charset=utf-8", cssResp.Header.Get("Content-Type"))

	rec := b.tenant.LastAuthorize()
	require.Equal(t, "S256", rec.CodeChallengeMethod)
	require.Equal(t, testRedirect, rec.RedirectURI)
	require.Len(t, rec.Scopes, 6)
	require.Empty(t, rec.Error)
}

func TestFullFlow(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	tok := b.login(t)
	require.Equal(t, "Bearer", tok.TokenType)
	require.NotEmpty(t, tok.AccessToken)
	require.NotEmpty(t, tok.RefreshToken)
	expiresIn := tok.Extra("expires_in").(float64)
	require.GreaterOrEqual(t, expiresIn, 3600.0)
	require.LessOrEqual(t, expiresIn, 5400.0)
	require.NotNil(t, tok.Extra("ext_expires_in"))
	graph := b.srv.URL + basePath + "/graph"
	require.ElementsMatch(t, strings.Fields(tok.Extra("scope").(string)), []string{graph + "/User.Read.All",
		graph + "/AuditLog.Read.All", graph + "/Policy.Read.All", graph + "/IdentityRiskyUser.Read.All"})

	parts := strings.Split(tok.Extra("id_token").(string), ".")
	require.Len(t, parts, 3)
	header, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	require.JSONEq(t, `{"alg":"none","typ":"JWT"}`, string(header))
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var claims map[string]any
	require.NoError(t, json.Unmarshal(payload, &claims))
	require.Equal(t, entrasim.DefaultTenantID, claims["tid"])
	require.Equal(t, entrasim.DefaultClientID, claims["aud"])
	require.Equal(t, b.srv.URL+basePath+"/login/"+entrasim.DefaultTenantID+"/v2.0", claims["iss"])
	require.Contains(t, claims["preferred_username"], "@"+entrasim.DefaultTenantDomain)
	require.NotEmpty(t, claims["oid"])
	require.Greater(t, claims["exp"], claims["iat"])

	// Refresh rotates; the old refresh token stays valid.
	src := b.conf.TokenSource(context.Background(), &oauth2.Token{RefreshToken: tok.RefreshToken})
	next, err := src.Token()
	require.NoError(t, err)
	require.NotEqual(t, tok.RefreshToken, next.RefreshToken)
	require.NotEqual(t, tok.AccessToken, next.AccessToken)
	again, err := b.conf.TokenSource(context.Background(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	require.NoError(t, err)
	require.NotEqual(t, next.RefreshToken, again.RefreshToken)

	// Refresh with an explicit, narrower scope.
	resp, err := http.PostForm(b.conf.Endpoint.TokenURL, url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {next.RefreshToken}, "client_id": {b.conf.ClientID},
		"client_secret": {b.conf.ClientSecret}, "scope": {"User.Read.All offline_access"},
	})
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var narrow map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&narrow))
	require.Equal(t, graph+"/User.Read.All", narrow["scope"])

	// The whole directory arrives exactly once across pages.
	items, pages := b.getAll(t, tok.AccessToken, b.graphURL("/users?$top=100&$select=id,displayName"))
	require.Equal(t, 3, pages)
	want := map[string]bool{}
	for _, u := range b.tenant.Users() {
		want[u.ID] = true
	}
	got := map[string]bool{}
	for _, raw := range items {
		var u entrasim.User
		require.NoError(t, json.Unmarshal(raw, &u))
		require.False(t, got[u.ID], "duplicate %s", u.ID)
		got[u.ID] = true
	}
	require.Equal(t, want, got)
}
