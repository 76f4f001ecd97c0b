package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/webtest"
)

// simulatedForm is the wizard filled with the simulated tenant's defaults.
func simulatedForm() url.Values {
	return url.Values{"cloud": {entra.CloudSimulated}}
}

// startConnect submits the wizard and returns the authorize URL it redirects to.
func startConnect(t *testing.T, c *webtest.Client, form url.Values) string {
	t.Helper()
	c.Get("/o/acme/integrations/entra/connect")
	r := c.Post("/o/acme/integrations/entra/connect", form)
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	return r.Header.Get("Location")
}

// consent answers the simulator's consent page and returns the callback path
// the browser is sent back to.
func (b *bundle) consent(t *testing.T, c *webtest.Client, authorizeURL, decision string) string {
	t.Helper()
	require.True(t, strings.HasPrefix(authorizeURL, b.srv.URL+"/_entrasim/login/"), authorizeURL)
	page := c.Get(strings.TrimPrefix(authorizeURL, b.srv.URL))
	require.Equal(t, http.StatusOK, page.StatusCode, page.Text())
	doc := page.Doc(t)
	action, _ := doc.Find("form").Attr("action")
	flow, _ := doc.Find(`input[name="flow"]`).Attr("value")
	r := c.PostRaw(strings.TrimPrefix(action, b.srv.URL), url.Values{"flow": {flow}, "decision": {decision}}, nil)
	require.Contains(t, []int{http.StatusFound, http.StatusSeeOther}, r.StatusCode, r.Text())
	return r.Location()
}

// connect runs the whole flow and returns the connection's page path.
func (b *bundle) connect(t *testing.T, c *webtest.Client) string {
	t.Helper()
	callback := b.consent(t, c, startConnect(t, c, simulatedForm()), "accept")
	r := c.Get(callback)
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.True(t, strings.HasPrefix(r.Location(), "/o/acme/connections/"), r.Location())
	return r.Location()
}

func TestConnectFlowMakesAnActiveConnection(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)

	catalog := c.Follow("/o/acme/integrations")
	require.Equal(t, "Not connected", strings.TrimSpace(catalog.Doc(t).Find(`[data-testid="connector-status"]`).Text()))
	page := c.Get("/o/acme/integrations/entra")
	require.Equal(t, http.StatusOK, page.StatusCode)
	require.Equal(t, b.srv.URL+"/api/integrations/entra/callback", page.Doc(t).Find(`[data-testid="redirect-uri"]`).Text())
	for _, want := range []string{"OAuth 2.0", "Hourly", "6 hours", "Identity", "CC6.1", "CC6.2", "CC7.1", "Security model", "IdentityRiskyUser.Read.All",
		"local master key file"} {
		require.Contains(t, page.Text(), want)
	}
	require.NotContains(t, page.Text(), "Every 6 hours", "a threshold, not a schedule")
	require.Equal(t, 1, page.Doc(t).Find(`a[href="/o/acme/integrations/entra/connect"]`).Length(), "one Connect button")

	authorize := startConnect(t, c, simulatedForm())
	u, err := url.Parse(authorize)
	require.NoError(t, err)
	require.Equal(t, "/_entrasim/login/"+entrasim.DefaultTenantID+"/oauth2/v2.0/authorize", u.Path)
	require.Equal(t, "S256", u.Query().Get("code_challenge_method"))
	require.NotEmpty(t, u.Query().Get("state"))

	callback := b.consent(t, c, authorize, "accept")
	// The simulator saw exactly the documented scope set.
	last := b.sim.Tenant(entrasim.DefaultTenantID).LastAuthorize()
	require.ElementsMatch(t, entra.RequestedScopes(b.srv.URL+"/_entrasim/graph"), last.Scopes)

	r := c.Get(callback)
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	conn := c.Get(r.Location())
	require.Equal(t, "active", conn.Doc(t).Find(`[data-testid="connection-status"]`).AttrOr("class", "")[len("chip chip-"):])
	require.Contains(t, conn.Text(), "Connected. The first sync has started.")

	actions := b.auditActions(t, b.org.ID)
	require.Contains(t, actions, "connection.create")
	require.Contains(t, actions, "connection.connect")

	// The state works once: replaying the callback is refused.
	replay := c.Get(callback)
	require.Equal(t, http.StatusBadRequest, replay.StatusCode)
	require.Contains(t, replay.Text(), "This authorization was already used")

	catalog = c.Get("/o/acme/integrations")
	require.Equal(t, "Connected", strings.TrimSpace(catalog.Doc(t).Find(`[data-testid="connector-status"]`).Text()))
	// The card names the connection and links to it.
	require.Equal(t, r.Location(), catalog.Doc(t).Find(`[data-testid="card-connections"] a`).AttrOr("href", ""))
}

func TestForeignStateIsRejectedAndNotConsumed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	callback := b.consent(t, owner, startConnect(t, owner, simulatedForm()), "accept")

	// Another session (the same person in another browser) presents it.
	other := b.client(t)
	other.Login(ownerEmail, ownerPassword)
	r := other.Get(callback)
	require.Equal(t, http.StatusBadRequest, r.StatusCode)
	require.Contains(t, r.Text(), "This authorization belongs to another session")

	// A state that was never issued.
	bogus := other.Get("/api/integrations/entra/callback?code=x&state=" + url.QueryEscape("not-a-state"))
	require.Equal(t, http.StatusBadRequest, bogus.StatusCode)
	require.Contains(t, bogus.Text(), "not valid")

	// The rightful session still completes.
	require.Equal(t, http.StatusSeeOther, owner.Get(callback).StatusCode)
	require.Equal(t, 1, countOf(b.auditActions(t, b.org.ID), "connection.callback_rejected"))
}

func TestExpiredStateIsRejected(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	callback := b.consent(t, c, startConnect(t, c, simulatedForm()), "accept")
	b.clock.Advance(11 * 60e9)
	r := c.Get(callback)
	require.Equal(t, http.StatusBadRequest, r.StatusCode)
	require.Contains(t, r.Text(), "This authorization has expired")
}

func TestCancelOnConsentGivesAClearPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	callback := b.consent(t, c, startConnect(t, c, simulatedForm()), "cancel")
	require.Contains(t, callback, "error=access_denied")
	r := c.Get(callback)
	require.Equal(t, http.StatusOK, r.StatusCode)
	doc := r.Doc(t)
	require.Equal(t, "Consent was not given", doc.Find("h1").Text())
	require.Contains(t, doc.Find(`[data-testid="oauth-problem"]`).Text(), "You cancelled the Microsoft sign-in")
	require.Contains(t, b.auditActions(t, b.org.ID), "connection.connect_failed")
	// The connection waits, pending, with the reason.
	page := c.Get("/o/acme/integrations/entra")
	require.Equal(t, "pending", page.Doc(t).Find(`[data-testid="connection-row"]`).AttrOr("data-status", ""))
	require.Contains(t, page.Text(), "Consent was not given")
}

func TestWrongSecretGetsThePlainLanguageMessage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	form := url.Values{
		"cloud": {entra.CloudSimulated}, "tenant": {entrasim.DefaultTenantID}, "client_id": {entrasim.DefaultClientID},
		"client_secret": {"Wrong~secret.value-not-the-real-one"},
	}
	r := c.Get(b.consent(t, c, startConnect(t, c, form), "accept"))
	require.Equal(t, http.StatusOK, r.StatusCode)
	doc := r.Doc(t)
	require.Equal(t, "The client secret was not accepted", doc.Find("h1").Text())
	require.Equal(t, "AADSTS7000215", doc.Find(`[data-testid="problem-code"]`).Text())
	require.Contains(t, doc.Find(`[data-testid="next-step"]`).Text(), "Value column")
	require.NotContains(t, r.Text(), "Wrong~secret")
	require.Contains(t, b.auditActions(t, b.org.ID), "connection.connect_failed")
}

func TestWizardValidatesEachField(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	c.Get("/o/acme/integrations/entra/connect")
	r := c.Post("/o/acme/integrations/entra/connect", url.Values{
		"cloud": {"global"}, "tenant": {"common"}, "client_id": {"not-a-guid"}, "client_secret": {"kept~secret~value"},
	})
	require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode)
	doc := r.Doc(t)
	require.Contains(t, doc.Find("#tenant-error").Text(), "single-tenant")
	require.Contains(t, doc.Find("#client_id-error").Text(), "GUID")
	require.Equal(t, "true", doc.Find("#client_id").AttrOr("aria-invalid", ""))
	require.Equal(t, "client_id-hint client_id-error", doc.Find("#client_id").AttrOr("aria-describedby", ""))
	require.Contains(t, doc.Find("#client_secret-error").Text(), "enter it again")
	require.NotContains(t, r.Text(), "kept~secret~value")
	require.Equal(t, "common", doc.Find("#tenant").AttrOr("value", ""))

	r = c.Post("/o/acme/integrations/entra/connect", url.Values{
		"cloud": {"global"}, "tenant": {"contoso.onmicrosoft.com"}, "client_id": {uuid.NewString()}, "client_secret": {uuid.NewString()},
	})
	require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode)
	require.Contains(t, r.Doc(t).Find("#client_secret-error").Text(), "secret's ID")
}

func TestGlobalCloudRedirectsToMicrosoft(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	tenant := uuid.NewString()
	loc := startConnect(t, c, url.Values{"cloud": {"gcc_high"}, "tenant": {tenant}, "client_id": {uuid.NewString()}, "client_secret": {"abc~defghijklmnop"}})
	u, err := url.Parse(loc)
	require.NoError(t, err)
	require.Equal(t, "login.microsoftonline.us", u.Host)
	require.Equal(t, "/"+tenant+"/oauth2/v2.0/authorize", u.Path)
	require.Equal(t, strings.Join(entra.RequestedScopes("https://graph.microsoft.us"), " "), u.Query().Get("scope"))
	require.Equal(t, "query", u.Query().Get("response_mode"))
	require.Equal(t, b.srv.URL+"/api/integrations/entra/callback", u.Query().Get("redirect_uri"))
}

func TestReauthorizeAndRevoke(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	connPath := b.connect(t, c)
	connID := uuid.MustParse(strings.TrimPrefix(connPath, "/o/acme/connections/"))

	// A revoked grant left the connection needing re-authorization.
	setStatus(t, b, connID, "needs_reauth")
	c.Get(connPath)
	r := c.Post(connPath+"/reauthorize", nil)
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	back := c.Get(b.consent(t, c, r.Header.Get("Location"), "accept"))
	require.Equal(t, connPath, back.Location())
	page := c.Get(connPath)
	require.Contains(t, page.Text(), "Re-authorized")
	require.Equal(t, "chip chip-active", page.Doc(t).Find(`[data-testid="connection-status"]`).AttrOr("class", ""))
	require.Contains(t, b.auditActions(t, b.org.ID), "connection.reauth")

	// Revoke keeps the row and its history, and clears the credentials.
	r = c.Post(connPath+"/revoke", nil)
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	page = c.Get(connPath)
	require.Equal(t, http.StatusOK, page.StatusCode)
	require.Equal(t, 1, page.Doc(t).Find(`[data-testid="revoked-note"]`).Length())
	require.Zero(t, page.Doc(t).Find(`[data-testid="revoke"]`).Length())
	history := page.Doc(t).Find(`[data-testid="connection-history"] tr[data-action]`)
	var seen []string
	history.Each(func(_ int, s *goquerySelection) { seen = append(seen, s.AttrOr("data-action", "")) })
	require.Subset(t, seen, []string{"connection.create", "connection.connect", "connection.reauth", "connection.revoke"})
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		var status string
		var deleted, secretGone, tokenGone bool
		err := tx.QueryRow(context.Background(), `SELECT status, deleted_at IS NOT NULL, client_secret_sealed IS NULL, refresh_token_sealed IS NULL FROM connections WHERE id = $1`, connID).
			Scan(&status, &deleted, &secretGone, &tokenGone)
		require.Equal(t, "revoked", status)
		require.True(t, deleted && secretGone && tokenGone)
		return err
	}))
	require.Equal(t, http.StatusConflict, c.Post(connPath+"/reauthorize", nil).StatusCode)
}

func TestAdminConsentLink(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	connPath := b.connect(t, c)
	r := c.Post(connPath+"/consent", nil)
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	u, err := url.Parse(r.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "/_entrasim/login/"+entrasim.DefaultTenantID+"/v2.0/adminconsent", u.Path)
	require.Equal(t, b.srv.URL+"/_entrasim/graph/.default", u.Query().Get("scope"))
	back := c.Get(b.consent(t, c, r.Header.Get("Location"), "accept"))
	require.Equal(t, connPath, back.Location())
	require.Contains(t, c.Get(connPath).Text(), "Admin consent was granted")
	require.Contains(t, b.auditActions(t, b.org.ID), "connection.consent")
}

func TestAuditorSeesConnectionsWithoutControls(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	connPath := b.connect(t, owner)

	auditor := b.client(t)
	auditor.Login(auditorEmail, auditPassword)
	page := auditor.Follow("/o/acme/integrations/entra")
	require.Equal(t, http.StatusOK, page.StatusCode)
	require.Zero(t, page.Doc(t).Find(`[data-testid="connect-button"]`).Length())
	conn := auditor.Get(connPath)
	require.Zero(t, conn.Doc(t).Find("form[method=post] button").Length()-1, "only the sign-out form")
	require.Equal(t, http.StatusForbidden, auditor.Post(connPath+"/revoke", nil).StatusCode)
	require.Equal(t, http.StatusForbidden, auditor.Post("/o/acme/integrations/entra/connect", simulatedForm()).StatusCode)
}

func TestCredentialsNeverLeak(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	connPath := b.connect(t, c)
	pages := []string{c.Get(connPath).Text(), c.Get("/o/acme/integrations/entra").Text(), c.Get("/o/acme/audit").Text()}

	var tokens []string
	for _, body := range b.microsoft.Bodies() {
		var tok struct {
			AccessToken  string `json:"access_token"`
			RefreshToken string `json:"refresh_token"`
		}
		if json.Unmarshal(body, &tok) == nil && tok.RefreshToken != "" {
			tokens = append(tokens, tok.AccessToken, tok.RefreshToken)
		}
	}
	require.Len(t, tokens, 2, "one token response was received")
	secrets := append(tokens, entrasim.DefaultClientSecret)

	dump, err := exec.Command(pgDump(t), "--data-only", "--dbname", b.tdb.AdminURL).CombinedOutput()
	require.NoError(t, err, string(dump))
	require.Contains(t, string(dump), "connection.connect", "the dump holds the data")
	for _, s := range secrets {
		require.NotContains(t, string(dump), s, "database dump")
		require.NotContains(t, b.logs.String(), s, "logs")
		for _, p := range pages {
			require.NotContains(t, p, s, "pages")
		}
	}
}

// TestConnectionPageSpeaksInSentences: a healthy connection's actions sit
// in a menu, history details read as sentences, granted permissions by
// their names, and the datasets table says when each was read.
func TestConnectionPageSpeaksInSentences(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	connPath := b.connect(t, c)
	doc := c.Get(connPath).Doc(t)
	require.Equal(t, 1, doc.Find(`[data-testid="connection-menu"] [data-testid="revoke"]`).Length(), "healthy: actions in the menu")
	scopes := doc.Find(`code.scope`)
	require.Positive(t, scopes.Length())
	scopes.Each(func(_ int, s *goquerySelection) {
		require.NotContains(t, s.Text(), "://", "a permission by its name, not its URL")
	})
	row := doc.Find(`[data-testid="connection-history"] tr[data-action="connection.connect"] td`).Last().Text()
	require.NotContains(t, row, "{", "details as a sentence, not JSON")
	require.Contains(t, row, "purpose: connect")
}

// TestWizardOffersTheSimulatedTenantFirst: where the simulator runs, the
// simulated tenant is the first and chosen cloud, it hides the fields it
// fills in itself, and the button says where it goes.
func TestWizardOffersTheSimulatedTenantFirst(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	doc := c.Get("/o/acme/integrations/entra/connect").Doc(t)
	first := doc.Find(`input[name="cloud"]`).First()
	require.Equal(t, entra.CloudSimulated, first.AttrOr("value", ""))
	require.True(t, first.Is("[checked]"), "chosen from the start")
	require.Equal(t, "tenant client_id client_secret", first.AttrOr("data-hides", ""))
	require.Equal(t, "Continue to the simulated tenant", first.AttrOr("data-submit", ""))
	for _, name := range []string{"tenant", "client_id", "client_secret", "name"} {
		require.Equal(t, 1, doc.Find(`[data-field="`+name+`"]`).Length(), name)
	}
	global := doc.Find(`input[name="cloud"][value="global"]`)
	require.Empty(t, global.AttrOr("data-hides", ""), "a real cloud needs every field")
	require.Equal(t, "Continue to Microsoft", doc.Find(`[data-testid="connect-submit"]`).AttrOr("data-default-label", ""))
}
