package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/connector/github"
	"github.com/attesthq/attest/internal/githubsim"
	"github.com/attesthq/attest/internal/webtest"
)

// githubConnection reads a GitHub connection and its settings.
func (b *bundle) githubConnection(t *testing.T, connID uuid.UUID) (dbsqlc.Connection, github.Settings) {
	t.Helper()
	var conn dbsqlc.Connection
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		var err error
		conn, err = q.ConnectionGet(context.Background(), tx, connID)
		return err
	}))
	var s github.Settings
	require.NoError(t, json.Unmarshal(conn.Settings, &s))
	return conn, s
}

// connIDOf is the connection id of a connection page's path.
func connIDOf(t *testing.T, path string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(strings.TrimPrefix(path, "/o/acme/connections/"))
	require.NoError(t, err, path)
	return id
}

// startManifest submits the wizard for the simulated organization and
// returns the callback GitHub's manifest page sends the browser back to:
// attest answers a page whose form the browser POSTs to GitHub.
func (b *bundle) startManifest(t *testing.T, c *webtest.Client) string {
	t.Helper()
	c.Get("/o/acme/integrations/github/connect")
	page := c.Post("/o/acme/integrations/github/connect", url.Values{github.FieldMethod: {github.MethodSimulated}})
	require.Equal(t, http.StatusOK, page.StatusCode, page.Text())
	require.Contains(t, page.Header.Get("Content-Security-Policy"), "form-action 'self' "+b.srv.URL,
		"the page may send its one form to GitHub's origin")
	form := page.Doc(t).Find(`form[data-autosubmit]`)
	require.Equal(t, 1, form.Length())
	action, _ := form.Attr("action")
	require.True(t, strings.HasPrefix(action, b.srv.URL+"/_githubsim/organizations/acme-sim/settings/apps/new?state="), action)
	require.Zero(t, form.Find(`input[name="_csrf"]`).Length(), "attest's CSRF token never leaves for GitHub")
	manifest, _ := form.Find(`input[name="manifest"]`).Attr("value")
	var m github.Manifest
	require.NoError(t, json.Unmarshal([]byte(manifest), &m))
	require.Equal(t, b.srv.URL+"/api/integrations/github/callback", m.RedirectURL)
	require.Equal(t, "read", m.DefaultPermissions["members"])
	created := c.PostRaw(strings.TrimPrefix(action, b.srv.URL), url.Values{"manifest": {manifest}}, nil)
	require.Equal(t, http.StatusFound, created.StatusCode, created.Text())
	return created.Location()
}

// installFromCallback follows the manifest callback to GitHub's
// installation page and returns the setup redirect it sends back.
func installFromCallback(t *testing.T, c *webtest.Client, callback string) *url.URL {
	t.Helper()
	converted := c.Get(callback)
	require.Equal(t, http.StatusSeeOther, converted.StatusCode, converted.Text())
	install := converted.Location()
	require.True(t, strings.HasPrefix(install, "/_githubsim/apps/attest-acme-sim/installations/new?state="), install)
	installed := c.Get(install)
	require.Equal(t, http.StatusFound, installed.StatusCode, installed.Text())
	setup, err := url.Parse(installed.Location())
	require.NoError(t, err)
	return setup
}

func TestGitHubManifestFlowCreatesInstallsAndVerifiesTheApp(t *testing.T) {
	t.Parallel()
	b := setupGitHub(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)

	setup := installFromCallback(t, c, b.startManifest(t, c))
	require.Equal(t, "/api/integrations/github/callback", setup.Path)
	done := c.Get(setup.RequestURI())
	require.Equal(t, http.StatusSeeOther, done.StatusCode, done.Text())
	connID := connIDOf(t, done.Location())

	conn, s := b.githubConnection(t, connID)
	require.Equal(t, "active", conn.Status)
	require.Equal(t, "acme-sim", s.Org)
	require.Equal(t, "attest-acme-sim", s.AppSlug)
	require.NotZero(t, s.AppID)
	require.Equal(t, setup.Query().Get("installation_id"), strconv.FormatInt(s.InstallationID, 10))
	require.Equal(t, int64(githubsim.DefaultOrgID), s.AccountID)
	require.Equal(t, "all", s.RepositorySelection)
	require.NotContains(t, string(conn.ClientSecretSealed), "PRIVATE KEY", "the App's key is sealed")
	require.NotContains(t, string(conn.Settings), "PRIVATE KEY")
	require.Contains(t, b.auditActions(t, b.org.ID), "connection.connect_continued")

	out := b.sync(t, connID)
	require.Equal(t, "succeeded", string(out.Status), "%+v", out)
}

// connectGitHub connects the simulated organization by the manual path
// (the demo App and its installation) and returns the connection's id.
func (b *bundle) connectGitHub(t *testing.T, c *webtest.Client) uuid.UUID {
	t.Helper()
	c.Get("/o/acme/integrations/github/connect")
	r := c.Post("/o/acme/integrations/github/connect", url.Values{
		github.FieldMethod: {github.MethodManual}, github.FieldOrg: {githubsim.DefaultOrgLogin},
		github.FieldAppID: {strconv.Itoa(githubsim.DefaultAppID)}, github.FieldPrivateKey: {string(githubsim.PEM(githubsim.DemoKey()))},
		github.FieldInstallationID: {strconv.Itoa(githubsim.DefaultInstallationID)}, github.FieldAPIRoot: {b.github.APIRoot(b.srv.URL)},
	})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.True(t, strings.HasPrefix(r.Location(), "/api/integrations/github/callback?"), r.Location())
	done := c.Get(r.Location())
	require.Equal(t, http.StatusSeeOther, done.StatusCode, done.Text())
	return connIDOf(t, done.Location())
}

func TestGitHubManualPathVerifiesThePastedInstallation(t *testing.T) {
	t.Parallel()
	b := setupGitHub(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	conn, s := b.githubConnection(t, b.connectGitHub(t, c))
	require.Equal(t, "active", conn.Status)
	require.Equal(t, int64(githubsim.DefaultInstallationID), s.InstallationID)
	require.Equal(t, int64(githubsim.DefaultOrgID), s.AccountID)
}

func TestGitHubForgedInstallationIDIsRefused(t *testing.T) {
	t.Parallel()
	b := setupGitHub(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)

	setup := installFromCallback(t, c, b.startManifest(t, c))
	forged := setup.Query()
	// The organization's other installation (the demo App's): a real id on
	// the right account, but not this App's.
	forged.Set("installation_id", strconv.Itoa(githubsim.DefaultInstallationID))
	page := c.Get(setup.Path + "?" + forged.Encode())
	require.Equal(t, http.StatusOK, page.StatusCode, page.Text())
	require.Equal(t, 1, page.Doc(t).Find(`[data-testid="oauth-problem"]`).Length(), page.Text())

	var conns []dbsqlc.Connection
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		var err error
		conns, err = q.ConnectionList(context.Background(), tx, github.Key)
		return err
	}))
	require.Len(t, conns, 1)
	conn, s := b.githubConnection(t, conns[0].ID)
	require.Equal(t, "pending", conn.Status, "a forged installation never activates the connection")
	require.Zero(t, s.InstallationID)
	require.Contains(t, b.auditActions(t, b.org.ID), "connection.connect_failed")
}
