package githubsim_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/githubsim"
)

// postManifest posts the manifest form as the browser does and returns the
// answer without following redirects.
func postManifest(t *testing.T, b *bench, org, manifest string) *http.Response {
	t.Helper()
	c := *b.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.PostForm(b.sim.WebRoot(b.srv.URL)+"/organizations/"+org+"/settings/apps/new?state=s1", url.Values{"manifest": {manifest}})
	require.NoError(t, err)
	resp.Body.Close()
	return resp
}

func TestTheManifestFormRefusesWhatGitHubRefuses(t *testing.T) {
	t.Parallel()
	b := newBench(t, githubsim.Options{})
	many := make([]string, 11)
	for i := range many {
		many[i] = "https://attest.example/cb"
	}
	tooMany, _ := json.Marshal(map[string]any{"name": "a", "url": "https://attest.example", "redirect_url": "https://attest.example/m", "callback_urls": many})
	for name, m := range map[string]string{
		"not JSON":         "{",
		"no name":          `{"url":"https://attest.example","redirect_url":"https://attest.example/m"}`,
		"no url":           `{"name":"a","redirect_url":"https://attest.example/m"}`,
		"11 callback URLs": string(tooMany),
		"no redirect_url":  `{"name":"a","url":"https://attest.example"}`,
	} {
		require.Equal(t, http.StatusUnprocessableEntity, postManifest(t, b, "acme-sim", m).StatusCode, name)
	}
	require.Equal(t, http.StatusNotFound, postManifest(t, b, "other-org", `{"name":"a","url":"https://x.example","redirect_url":"https://x.example/m"}`).StatusCode)
}

func TestAManifestConvertsOnceWithinTheHourIntoAnAppWithItsKey(t *testing.T) {
	t.Parallel()
	b := newBench(t, githubsim.Options{})
	resp := postManifest(t, b, "acme-sim", `{"name":"attest for Acme","url":"https://attest.example","redirect_url":"https://attest.example/m?x=1",
		"hook_attributes":{"url":"https://example.invalid/h","active":false},"default_permissions":{"metadata":"read"}}`)
	require.Equal(t, http.StatusFound, resp.StatusCode)
	back, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "1", back.Query().Get("x"), "the redirect URL's own query is kept")
	require.Equal(t, "s1", back.Query().Get("state"))
	code := back.Query().Get("code")

	a := b.do(t, http.MethodPost, "/app-manifests/"+code+"/conversions", "", nil)
	require.Equal(t, http.StatusCreated, a.status, a.body)
	var app struct {
		ID            int64             `json:"id"`
		Slug          string            `json:"slug"`
		ClientID      string            `json:"client_id"`
		ClientSecret  string            `json:"client_secret"`
		WebhookSecret *string           `json:"webhook_secret"`
		PEM           string            `json:"pem"`
		Permissions   map[string]string `json:"permissions"`
		Owner         struct {
			Login string `json:"login"`
		} `json:"owner"`
	}
	require.NoError(t, json.Unmarshal([]byte(a.body), &app))
	require.Equal(t, "attest-for-acme", app.Slug)
	require.True(t, strings.HasPrefix(app.PEM, "-----BEGIN RSA PRIVATE KEY-----"), "PKCS#1, as GitHub hands it out")
	require.Nil(t, app.WebhookSecret, "an inactive webhook has no secret")
	require.Equal(t, map[string]string{"metadata": "read"}, app.Permissions)
	require.Equal(t, "acme-sim", app.Owner.Login)
	require.Equal(t, http.StatusNotFound, b.do(t, http.MethodPost, "/app-manifests/"+code+"/conversions", "", nil).status, "once")

	resp = postManifest(t, b, "acme-sim", `{"name":"late","url":"https://attest.example","redirect_url":"https://attest.example/m"}`)
	back, _ = url.Parse(resp.Header.Get("Location"))
	b.clock.Advance(time.Hour)
	require.Equal(t, http.StatusNotFound, b.do(t, http.MethodPost, "/app-manifests/"+back.Query().Get("code")+"/conversions", "", nil).status,
		"the flow must finish within an hour")
}
