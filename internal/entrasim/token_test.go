package entrasim_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/attesthq/attest/internal/entrasim"
)

// postToken posts a raw token request and decodes the error answer.
func postToken(t *testing.T, tokenURL string, form url.Values) (int, tokenErr) {
	t.Helper()
	resp, err := http.PostForm(tokenURL, form)
	require.NoError(t, err)
	defer resp.Body.Close()
	var te tokenErr
	if resp.StatusCode != http.StatusOK {
		require.NoError(t, decodeJSON(resp, &te))
	}
	return resp.StatusCode, te
}

var descriptionShape = regexp.MustCompile(`^AADSTS(\d+): .+\r\nTrace ID: ([0-9a-f-]{36})\r\nCorrelation ID: ([0-9a-f-]{36})\r\nTimestamp: (\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ)$`)

// requireTokenError asserts the documented error body shape.
func requireTokenError(t *testing.T, te tokenErr, oauthErr string, code int) {
	t.Helper()
	require.Equal(t, oauthErr, te.Error, te.ErrorDescription)
	require.Equal(t, []int{code}, te.ErrorCodes)
	m := descriptionShape.FindStringSubmatch(te.ErrorDescription)
	require.NotNil(t, m, te.ErrorDescription)
	require.Equal(t, te.TraceID, m[2])
	require.Equal(t, te.CorrelationID, m[3])
	require.Equal(t, te.Timestamp, m[4])
	require.True(t, strings.HasPrefix(te.ErrorDescription, "AADSTS"+m[1]+": "))
	require.Contains(t, te.ErrorURI, "error?code="+m[1])
}

func TestTokenCodeErrors(t *testing.T) {
	t.Parallel()

	t.Run("PKCEMismatch", func(t *testing.T) {
		t.Parallel()
		b := setup(t, entrasim.Options{})
		code, _ := b.authorize(t)
		re, te := retrieveErr(t, exchangeErr(b, code, oauth2.GenerateVerifier()))
		require.Equal(t, http.StatusBadRequest, re.Response.StatusCode)
		requireTokenError(t, te, "invalid_grant", 501481)
	})
	t.Run("Replay", func(t *testing.T) {
		t.Parallel()
		b := setup(t, entrasim.Options{})
		code, verifier := b.authorize(t)
		require.NoError(t, exchangeErr(b, code, verifier))
		_, te := retrieveErr(t, exchangeErr(b, code, verifier))
		requireTokenError(t, te, "invalid_grant", 54005)
	})
	t.Run("Expired", func(t *testing.T) {
		t.Parallel()
		b := setup(t, entrasim.Options{})
		code, verifier := b.authorize(t)
		b.clock.Advance(10*time.Minute + time.Second)
		_, te := retrieveErr(t, exchangeErr(b, code, verifier))
		requireTokenError(t, te, "invalid_grant", 70008)
	})
	t.Run("RedirectMismatch", func(t *testing.T) {
		t.Parallel()
		b := setup(t, entrasim.Options{})
		code, verifier := b.authorize(t)
		status, te := postToken(t, b.conf.Endpoint.TokenURL, url.Values{
			"grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {verifier},
			"redirect_uri": {"https://evil.example/cb"}, "client_id": {b.conf.ClientID}, "client_secret": {b.conf.ClientSecret},
		})
		require.Equal(t, http.StatusBadRequest, status)
		requireTokenError(t, te, "invalid_request", 50011)
	})
	t.Run("UnknownCode", func(t *testing.T) {
		t.Parallel()
		b := setup(t, entrasim.Options{})
		_, te := retrieveErr(t, exchangeErr(b, "not-a-code", oauth2.GenerateVerifier()))
		requireTokenError(t, te, "invalid_grant", 9002313)
	})
	t.Run("BasicAuth", func(t *testing.T) {
		t.Parallel()
		b := setup(t, entrasim.Options{})
		b.conf.Endpoint.AuthStyle = oauth2.AuthStyleInHeader
		code, verifier := b.authorize(t)
		require.NoError(t, exchangeErr(b, code, verifier))
	})
}

func exchangeErr(b *testBundle, code, verifier string) error {
	_, err := b.conf.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
	return err
}

func TestTokenClientErrors(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	base := func() url.Values {
		return url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"},
			"client_id": {entrasim.DefaultClientID}, "client_secret": {entrasim.DefaultClientSecret}}
	}

	form := base()
	form.Set("client_secret", "wrong")
	status, te := postToken(t, b.conf.Endpoint.TokenURL, form)
	require.Equal(t, http.StatusUnauthorized, status)
	requireTokenError(t, te, "invalid_client", 7000215)
	require.Contains(t, te.ErrorDescription, "the client secret value, not the client secret ID")

	form = base()
	form.Del("client_secret")
	status, te = postToken(t, b.conf.Endpoint.TokenURL, form)
	require.Equal(t, http.StatusUnauthorized, status)
	requireTokenError(t, te, "invalid_client", 7000218)

	form = base()
	form.Set("client_id", "0b4a1c51-7e0a-4d5e-9d0c-2f6a8c1e9b77")
	status, te = postToken(t, b.conf.Endpoint.TokenURL, form)
	require.Equal(t, http.StatusBadRequest, status)
	requireTokenError(t, te, "unauthorized_client", 700016)

	status, te = postToken(t, b.srv.URL+basePath+"/login/4b1c0f7e-0000-4000-8000-000000000000/oauth2/v2.0/token", base())
	require.Equal(t, http.StatusBadRequest, status)
	requireTokenError(t, te, "invalid_request", 90002)

	status, te = postToken(t, b.srv.URL+basePath+"/login/common/oauth2/v2.0/token", base())
	require.Equal(t, http.StatusBadRequest, status)
	requireTokenError(t, te, "invalid_request", 50194)

	form = base()
	form.Set("grant_type", "password")
	status, te = postToken(t, b.conf.Endpoint.TokenURL, form)
	require.Equal(t, http.StatusBadRequest, status)
	requireTokenError(t, te, "unsupported_grant_type", 70003)

	resp, err := http.Get(b.conf.Endpoint.TokenURL)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.NoError(t, decodeJSON(resp, &te))
	requireTokenError(t, te, "invalid_request", 900561)

	// The correlation ID follows the client's client-request-id.
	req, err := http.NewRequest(http.MethodPost, b.conf.Endpoint.TokenURL, strings.NewReader(base().Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("client-request-id", "6f1b8c52-3d4e-4f60-8a71-92b3c4d5e6f7")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.NoError(t, decodeJSON(resp, &te))
	require.Equal(t, "6f1b8c52-3d4e-4f60-8a71-92b3c4d5e6f7", te.CorrelationID)
	requireTokenError(t, te, "invalid_grant", 9002313)
}

func TestRefreshErrors(t *testing.T) {
	t.Parallel()

	t.Run("RevokedGrants", func(t *testing.T) {
		t.Parallel()
		b := setup(t, entrasim.Options{})
		tok := b.login(t)
		b.tenant.RevokeGrants()
		_, err := b.conf.TokenSource(context.Background(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
		_, te := retrieveErr(t, err)
		requireTokenError(t, te, "invalid_grant", 50173)
		// The access token lives on until it expires; a new sign-in works.
		b.getPage(t, tok.AccessToken, b.graphURL("/users"))
		fresh := b.login(t)
		_, err = b.conf.TokenSource(context.Background(), &oauth2.Token{RefreshToken: fresh.RefreshToken}).Token()
		require.NoError(t, err)
	})
	t.Run("InteractionRequired", func(t *testing.T) {
		t.Parallel()
		b := setup(t, entrasim.Options{})
		tok := b.login(t)
		b.tenant.RequireInteraction(true)
		_, err := b.conf.TokenSource(context.Background(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
		_, te := retrieveErr(t, err)
		requireTokenError(t, te, "interaction_required", 50076)
		b.tenant.RequireInteraction(false)
		_, err = b.conf.TokenSource(context.Background(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
		require.NoError(t, err)
	})
	t.Run("Inactive", func(t *testing.T) {
		t.Parallel()
		b := setup(t, entrasim.Options{})
		tok := b.login(t)
		b.clock.Advance(91 * 24 * time.Hour)
		_, err := b.conf.TokenSource(context.Background(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
		_, te := retrieveErr(t, err)
		requireTokenError(t, te, "invalid_grant", 700082)
	})
	t.Run("UnconsentedScope", func(t *testing.T) {
		t.Parallel()
		b := setup(t, entrasim.Options{})
		tok := b.login(t)
		status, te := postToken(t, b.conf.Endpoint.TokenURL, url.Values{
			"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}, "scope": {"Directory.Read.All"},
			"client_id": {b.conf.ClientID}, "client_secret": {b.conf.ClientSecret},
		})
		require.Equal(t, http.StatusBadRequest, status)
		requireTokenError(t, te, "invalid_scope", 70011)
	})
}

func TestAccessTokens(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	tok := b.login(t)

	resp, body := b.get(t, "not-a-token", b.graphURL("/users"))
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	require.Equal(t, "InvalidAuthenticationToken", decodeGraphErr(t, body).Error.Code)
	require.NotEmpty(t, resp.Header.Get("WWW-Authenticate"))

	req, err := http.NewRequest(http.MethodGet, b.graphURL("/users"), nil)
	require.NoError(t, err)
	resp, err = b.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	// A token narrowed to User.Read.All cannot read reports or sign-in activity.
	status, narrowed := refreshWithScope(t, b, tok.RefreshToken, "User.Read.All")
	require.Equal(t, http.StatusOK, status)
	b.getPage(t, narrowed, b.graphURL("/users"))
	for _, path := range []string{"/auditLogs/signIns", "/reports/authenticationMethods/userRegistrationDetails",
		"/users?$select=id,signInActivity", "/identity/conditionalAccess/policies", "/identityProtection/riskyUsers"} {
		resp, body := b.get(t, narrowed, b.graphURL(path))
		require.Equal(t, http.StatusForbidden, resp.StatusCode, path)
		e := decodeGraphErr(t, body)
		require.Equal(t, "Authorization_RequestDenied", e.Error.Code)
		require.Equal(t, "Insufficient privileges to complete the operation.", e.Error.Message)
		require.NotEmpty(t, e.Error.InnerError["request-id"])
		require.NotEmpty(t, e.Error.InnerError["date"])
	}

	// Access tokens expire on the Now clock.
	b.clock.Advance(91 * time.Minute)
	resp, body = b.get(t, tok.AccessToken, b.graphURL("/users"))
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	e := decodeGraphErr(t, body)
	require.Equal(t, "InvalidAuthenticationToken", e.Error.Code)
	require.Equal(t, "Access token has expired or is not yet valid.", e.Error.Message)
}

// refreshWithScope refreshes with an explicit scope and returns the status and
// access token.
func refreshWithScope(t *testing.T, b *testBundle, refreshToken, scope string) (int, string) {
	t.Helper()
	resp, err := http.PostForm(b.conf.Endpoint.TokenURL, url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}, "scope": {scope},
		"client_id": {b.conf.ClientID}, "client_secret": {b.conf.ClientSecret},
	})
	require.NoError(t, err)
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, decodeJSON(resp, &out))
	return resp.StatusCode, out.AccessToken
}
