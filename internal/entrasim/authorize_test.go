package entrasim_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/attesthq/attest/internal/entrasim"
)

// authorizeURL builds an authorize URL from b's config with overrides; an
// empty override value removes the parameter.
func authorizeURL(b *testBundle, overrides map[string]string) string {
	u, _ := url.Parse(b.conf.AuthCodeURL("st-9", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	q := u.Query()
	for k, v := range overrides {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func TestAuthorizeErrorPages(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	cases := []struct {
		name string
		url  string
		want string
	}{
		{"UnknownTenant", strings.Replace(authorizeURL(b, nil), entrasim.DefaultTenantID, "fabrikam-sim.onmicrosoft.com", 1), "AADSTS90002"},
		{"CommonEndpoint", strings.Replace(authorizeURL(b, nil), entrasim.DefaultTenantID, "common", 1), "AADSTS50194"},
		{"UnknownClient", authorizeURL(b, map[string]string{"client_id": "0b4a1c51-7e0a-4d5e-9d0c-2f6a8c1e9b77"}), "AADSTS700016"},
		{"MissingClient", authorizeURL(b, map[string]string{"client_id": ""}), "AADSTS900144"},
		{"UnregisteredRedirect", authorizeURL(b, map[string]string{"redirect_uri": "https://evil.example/cb"}), "AADSTS50011"},
		{"FormPost", authorizeURL(b, map[string]string{"response_mode": "form_post"}), "response_mode=query only"},
	}
	for _, c := range cases {
		resp, doc := b.page(t, c.url)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, c.name)
		require.Empty(t, resp.Header.Get("Location"), c.name)
		require.Contains(t, doc.Find("[data-testid=error-message]").Text(), c.want, c.name)
		require.Equal(t, 1, doc.Find("h1").Length())
	}
}

func TestAuthorizeRedirectErrors(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	graph := b.srv.URL + basePath + "/graph/"
	exact := "openid offline_access " + graph + "User.Read.All " + graph + "AuditLog.Read.All " + graph + "Policy.Read.All " + graph + "IdentityRiskyUser.Read.All"
	cases := []struct {
		name      string
		overrides map[string]string
		err       string
		code      string
	}{
		{"ExtraScope", map[string]string{"scope": exact + " " + graph + "Directory.Read.All"}, "invalid_scope", "AADSTS70011"},
		{"MissingScope", map[string]string{"scope": strings.TrimSuffix(exact, " "+graph+"IdentityRiskyUser.Read.All")}, "invalid_scope", "AADSTS70011"},
		{"NoOfflineAccess", map[string]string{"scope": strings.TrimPrefix(exact, "openid offline_access ") + " openid"}, "invalid_scope", "AADSTS70011"},
		{"DefaultScope", map[string]string{"scope": "openid offline_access " + graph + ".default"}, "invalid_scope", "AADSTS70011"},
		{"MicrosoftGraphPrefix", map[string]string{"scope": strings.ReplaceAll(exact, graph, "https://graph.microsoft.com/")}, "invalid_scope", "AADSTS70011"},
		{"UnknownScope", map[string]string{"scope": exact + " Mail.Read"}, "invalid_scope", "AADSTS70011"},
		{"NoChallenge", map[string]string{"code_challenge": "", "code_challenge_method": ""}, "invalid_request", "AADSTS900144"},
		{"PlainChallenge", map[string]string{"code_challenge_method": "plain"}, "invalid_request", "AADSTS50149"},
		{"NoChallengeMethod", map[string]string{"code_challenge_method": ""}, "invalid_request", "AADSTS50149"},
		{"ShortChallenge", map[string]string{"code_challenge": "abc"}, "invalid_request", "AADSTS501491"},
		{"ResponseType", map[string]string{"response_type": "token"}, "unsupported_response_type", "AADSTS70005"},
		{"PromptNone", map[string]string{"prompt": "none"}, "interaction_required", "AADSTS50058"},
	}
	for _, c := range cases {
		resp, err := b.client.Get(authorizeURL(b, c.overrides))
		require.NoError(t, err)
		resp.Body.Close()
		q := redirectQuery(t, resp)
		require.Equal(t, c.err, q.Get("error"), c.name)
		require.True(t, strings.HasPrefix(q.Get("error_description"), c.code+": "), "%s: %s", c.name, q.Get("error_description"))
		require.Equal(t, "st-9", q.Get("state"), c.name)
		require.Equal(t, c.err, b.tenant.LastAuthorize().Error, c.name)
	}
	rec := b.tenant.LastAuthorize()
	require.Equal(t, entrasim.DefaultClientID, rec.ClientID)

	// Unprefixed Graph permissions are accepted, in any order.
	resp, _ := b.page(t, authorizeURL(b, map[string]string{"scope": "IdentityRiskyUser.Read.All Policy.Read.All offline_access AuditLog.Read.All openid User.Read.All"}))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Empty(t, b.tenant.LastAuthorize().Error)
}

func TestAuthorizeCancelAndFlowReuse(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	q := b.decide(t, authorizeURL(b, nil), "cancel")
	require.Equal(t, "access_denied", q.Get("error"))
	require.Equal(t, "cancel", q.Get("error_subcode"))
	require.Equal(t, "AADSTS65004: User declined to consent to access the app.", q.Get("error_description"))
	require.Equal(t, "st-9", q.Get("state"))

	resp, doc := b.page(t, authorizeURL(b, nil))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	flow, _ := doc.Find(`input[name="flow"]`).Attr("value")
	action, _ := doc.Find("form").Attr("action")
	post := func() *http.Response {
		resp, err := b.client.PostForm(b.srv.URL+action, url.Values{"flow": {flow}, "decision": {"accept"}})
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	q = redirectQuery(t, post())
	require.NotEmpty(t, q.Get("code"))
	require.NotEmpty(t, q.Get("session_state"))
	require.Equal(t, http.StatusBadRequest, post().StatusCode)
}

func TestAdminConsent(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	graph := b.srv.URL + basePath + "/graph"
	consentURL := b.srv.URL + basePath + "/login/" + entrasim.DefaultTenantDomain + "/v2.0/adminconsent?" + url.Values{
		"client_id": {entrasim.DefaultClientID}, "scope": {graph + "/.default"}, "redirect_uri": {testRedirect}, "state": {"ac-1"},
	}.Encode()

	_, doc := b.page(t, consentURL)
	require.Equal(t, 4, doc.Find("[data-testid=permission]").Length())
	require.Contains(t, doc.Find("h1").Text(), "for your organization")

	q := b.decide(t, consentURL, "accept")
	require.Equal(t, "True", q.Get("admin_consent"))
	require.Equal(t, entrasim.DefaultTenantID, q.Get("tenant"))
	require.Equal(t, "ac-1", q.Get("state"))
	require.ElementsMatch(t, []string{graph + "/User.Read.All", graph + "/AuditLog.Read.All", graph + "/Policy.Read.All",
		graph + "/IdentityRiskyUser.Read.All"}, strings.Fields(q.Get("scope")))

	q = b.decide(t, consentURL, "cancel")
	require.Equal(t, "True", q.Get("admin_consent"))
	require.Equal(t, "consent_required", q.Get("error"))
	require.True(t, strings.HasPrefix(q.Get("error_description"), "AADSTS65004: "))
	require.Equal(t, "ac-1", q.Get("state"))

	resp, err := b.client.Get(strings.Replace(consentURL, url.QueryEscape(graph+"/.default"), "Mail.Read", 1))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, "invalid_scope", redirectQuery(t, resp).Get("error"))
}
