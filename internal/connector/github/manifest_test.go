package github

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/githubsim"
)

// noRedirects is the browser stopping at each redirect.
func noRedirects(e *env) *http.Client {
	c := *e.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

func TestTheManifestAsksReadOnlyPermissionsAndNoWebhook(t *testing.T) {
	t.Parallel()
	m := NewManifest("attest for Acme", "https://attest.example", "https://attest.example/github/manifest", "https://attest.example/github/setup")
	raw, err := json.Marshal(m)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(raw, &got))
	require.Equal(t, map[string]any{"metadata": "read", "administration": "read", "vulnerability_alerts": "read", "members": "read",
		"organization_administration": "read", "organization_plan": "read"}, got["default_permissions"])
	require.Equal(t, false, got["hook_attributes"].(map[string]any)["active"])
	require.Equal(t, []any{}, got["default_events"])
	require.Equal(t, false, got["public"], "only the organization that owns it can install it")
}

func TestManifestFlowThenInstallationThenVerification(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	browser := noRedirects(e)
	ctx := t.Context()

	m := NewManifest("attest for Acme", "https://attest.example", "https://attest.example/github/manifest", "https://attest.example/github/setup")
	raw, err := json.Marshal(m)
	require.NoError(t, err)
	resp, err := browser.PostForm(ManifestFormURL(e.settings.WebRoot, "acme-sim", "st4te"), url.Values{"manifest": {string(raw)}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	back, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "attest.example", back.Host)
	require.Equal(t, "st4te", back.Query().Get("state"))
	code := back.Query().Get("code")

	creds, err := ConvertManifest(ctx, e.srv.Client(), e.settings.APIRoot, code)
	require.NoError(t, err)
	require.Equal(t, "acme-sim", creds.Owner)
	require.Equal(t, "attest-for-acme", creds.Slug)
	require.Equal(t, "[redacted]", creds.PrivateKey.String())
	require.True(t, creds.WebhookSecret.IsZero(), "no webhook, no webhook secret")
	_, err = ConvertManifest(ctx, e.srv.Client(), e.settings.APIRoot, code)
	require.Error(t, err, "a code converts once")

	resp, err = browser.Get(InstallURL(e.settings.WebRoot, creds.Slug, "inst4ll"))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	setup, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "/github/setup", setup.Path)
	require.Equal(t, "inst4ll", setup.Query().Get("state"))
	id, err := strconv.ParseInt(setup.Query().Get("installation_id"), 10, 64)
	require.NoError(t, err)

	s := Settings{APIRoot: e.settings.APIRoot, WebRoot: e.settings.WebRoot, Org: "ACME-SIM", ClientID: creds.ClientID}
	inst, err := Verifier{HTTP: e.srv.Client(), Clock: e.clock}.Verify(ctx, s, creds.PrivateKey, id)
	require.NoError(t, err)
	require.Equal(t, Installation{ID: id, AccountLogin: "acme-sim", AccountID: githubsim.DefaultOrgID, RepositorySelection: "all",
		Permissions: githubsim.Permissions()}, inst, "the client ID works as the JWT issuer; the login compares case-insensitively")
}

func TestAManifestCodeExpiresAfterAnHour(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	raw, _ := json.Marshal(NewManifest("late", "https://attest.example", "https://attest.example/cb", ""))
	resp, err := noRedirects(e).PostForm(ManifestFormURL(e.settings.WebRoot, "acme-sim", "s"), url.Values{"manifest": {string(raw)}})
	require.NoError(t, err)
	resp.Body.Close()
	back, _ := url.Parse(resp.Header.Get("Location"))
	e.clock.Advance(time.Hour)
	_, err = ConvertManifest(t.Context(), e.srv.Client(), e.settings.APIRoot, back.Query().Get("code"))
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, http.StatusNotFound, ae.Status)
}

func TestVerificationRefusesAnInstallationOfAnotherAccountOrApp(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	v := Verifier{HTTP: e.srv.Client(), Clock: e.clock}
	other := e.settings
	other.Org = "someone-else"
	_, err := v.Verify(t.Context(), other, e.key, githubsim.DefaultInstallationID)
	require.ErrorIs(t, err, ErrWrongAccount)
	_, err = v.Verify(t.Context(), e.settings, e.key, 999)
	require.Error(t, err, "a forged installation id")
	require.True(t, strings.Contains(err.Error(), "not installed"), err.Error())

	selected := e.sim.Install(githubsim.DefaultAppID, "selected", "api")
	inst, err := v.Verify(t.Context(), e.settings, e.key, selected)
	require.NoError(t, err)
	require.True(t, inst.Partial)

	perms := githubsim.Permissions()
	delete(perms, "organization_administration")
	e.sim.SetPermissions(selected, perms)
	inst, err = v.Verify(t.Context(), e.settings, e.key, selected)
	require.NoError(t, err)
	require.Equal(t, []string{"organization_administration"}, inst.MissingPermissions)
}
