package github

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/githubsim"
)

func manualForm(key string) url.Values {
	return url.Values{FieldMethod: {MethodManual}, FieldOrg: {"acme-sim"}, FieldAppID: {"98765"}, FieldPrivateKey: {key}, FieldInstallationID: {"12345678"}}
}

func TestTheManualFormYieldsSettingsAndTheSealedKey(t *testing.T) {
	t.Parallel()
	pem := string(githubsim.PEM(githubsim.DemoKey()))
	setup, errs := (&Connector{}).ParseForm(manualForm(pem))
	require.Empty(t, errs)
	require.Equal(t, "acme-sim", setup.DisplayName)
	require.Equal(t, "api.github.com/acme-sim", setup.IdentityKey)
	require.Equal(t, pem, setup.Secret.Reveal())
	s, err := ParseSettings(setup.Settings)
	require.NoError(t, err)
	require.Equal(t, Settings{APIRoot: DefaultAPIRoot, WebRoot: DefaultWebRoot, Org: "acme-sim", AppID: 98765, InstallationID: 12345678}, s)
	require.NotContains(t, string(setup.Settings), "PRIVATE KEY")

	ghes := manualForm(pem)
	ghes.Set(FieldAPIRoot, "https://github.example.com/api/v3/")
	ghes.Set(FieldAppID, "Iv23liABCDEF")
	setup, errs = (&Connector{}).ParseForm(ghes)
	require.Empty(t, errs)
	s, _ = ParseSettings(setup.Settings)
	require.Equal(t, "https://github.example.com/api/v3", s.APIRoot)
	require.Equal(t, "https://github.example.com", s.WebRoot)
	require.Equal(t, "Iv23liABCDEF", s.ClientID)
}

func TestTheManualFormRefusesWhatCannotWork(t *testing.T) {
	t.Parallel()
	bad := url.Values{FieldMethod: {MethodManual}, FieldOrg: {"-acme"}, FieldAppID: {"abc"}, FieldPrivateKey: {"not a key"}, FieldInstallationID: {"x"},
		FieldAPIRoot: {"http://github.example.com/api/v3"}}
	_, errs := (&Connector{}).ParseForm(bad)
	require.Len(t, errs, 5)
	for _, msg := range errs {
		require.NotContains(t, msg, "not a key", "the key is never echoed")
	}
}

func TestWebRootForEachKindOfAPIRoot(t *testing.T) {
	t.Parallel()
	for api, web := range map[string]string{
		"https://api.github.com":            "https://github.com",
		"https://api.octocorp.ghe.com":      "https://octocorp.ghe.com",
		"https://github.example.com/api/v3": "https://github.example.com",
		"http://127.0.0.1:8951/_sim/api/v3": "http://127.0.0.1:8951/_sim",
	} {
		require.Equal(t, web, WebRootFor(api), api)
	}
	_, err := NormalizeRoot("http://api.github.com", DefaultAPIRoot)
	require.Error(t, err, "http only to a loopback host")
	_, err = NormalizeRoot("https://user:pw@api.github.com", DefaultAPIRoot)
	require.Error(t, err)
}

func TestAuthorizeURLInstallsOrComesStraightBack(t *testing.T) {
	t.Parallel()
	c := &Connector{}
	raw, _ := json.Marshal(Settings{Org: "acme", AppID: 1, AppSlug: "attest-for-acme"})
	u, err := c.AuthorizeURL(raw, "https://attest.example/cb", "st", "")
	require.NoError(t, err)
	require.Equal(t, "https://github.com/apps/attest-for-acme/installations/new?state=st", u)
	raw, _ = json.Marshal(Settings{Org: "acme", AppID: 1, InstallationID: 42})
	u, err = c.AuthorizeURL(raw, "https://attest.example/cb", "st", "")
	require.NoError(t, err)
	require.Equal(t, "https://attest.example/cb?installation_id=42&state=st", u)
}

func TestCompleteInstallationVerifiesTheRedirectsInstallation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	c := e.connector()
	s := e.settings
	s.InstallationID = 0
	raw, _ := json.Marshal(s)
	_, err := c.CompleteInstallation(t.Context(), raw, e.key, url.Values{"installation_id": {"424242"}})
	require.Error(t, err, "a forged installation id is not trusted")
	done, err := c.CompleteInstallation(t.Context(), raw, e.key, url.Values{"installation_id": {"12345678"}, "setup_action": {"install"}})
	require.NoError(t, err)
	got, err := ParseSettings(done.Settings)
	require.NoError(t, err)
	require.Equal(t, int64(githubsim.DefaultInstallationID), got.InstallationID)
	require.Equal(t, int64(githubsim.DefaultOrgID), got.AccountID)
	require.Equal(t, "all", got.RepositorySelection)
	require.Contains(t, done.Installation.GrantedPermissions(), "members: read")
	require.Nil(t, c.CallbackProblem(url.Values{"installation_id": {"1"}}))
	require.Contains(t, c.CallbackProblem(url.Values{"setup_action": {"request"}}).Message, "owner must approve")
}

func TestTheConnectionShowsASelectedInstallationAsPartialCoverage(t *testing.T) {
	t.Parallel()
	raw, _ := json.Marshal(Settings{Org: "acme", AppID: 1, InstallationID: 42, RepositorySelection: "selected"})
	d := (&Connector{}).Display(raw)
	require.Contains(t, d.Details, connector.Item{Label: "Installation", Value: "42"})
	var repos string
	for _, it := range d.Details {
		if it.Label == "Repositories" {
			repos = it.Value
		}
	}
	require.Contains(t, repos, "partial coverage")
}

func TestAKeyPastedIntoASingleLineFieldStillParses(t *testing.T) {
	t.Parallel()
	pem := string(githubsim.PEM(githubsim.DemoKey()))
	flat := strings.ReplaceAll(pem, "\n", "") // what a browser's single-line input sends
	setup, errs := (&Connector{}).ParseForm(manualForm(flat))
	require.Empty(t, errs)
	require.Equal(t, pem, setup.Secret.Reveal(), "the key is stored as GitHub generated it")
}
