package entra

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/attesthq/attest/internal/connector"
)

func tokenError(oauthErr string, code int) error {
	body := fmt.Sprintf(`{"error":%q,"error_description":"AADSTS%d: something happened.\r\nTrace ID: x","error_codes":[%d]}`, oauthErr, code, code)
	return fmt.Errorf("wrapped: %w", &oauth2.RetrieveError{Response: &http.Response{StatusCode: 400}, Body: []byte(body), ErrorCode: oauthErr})
}

func TestDescribeErrorMapsAADSTSCodes(t *testing.T) {
	t.Parallel()
	c := New(Options{}, nil)
	redirect := "https://attest.example/api/integrations/entra/callback"
	cases := []struct {
		err   error
		title string
		class connector.ErrorClass
	}{
		{tokenError("invalid_client", 7000215), "The client secret was not accepted", connector.ErrorConfiguration},
		{tokenError("invalid_client", 7000222), "The client secret has expired", connector.ErrorConfiguration},
		{tokenError("unauthorized_client", 700016), "The application was not found in this directory", connector.ErrorConfiguration},
		{tokenError("invalid_request", 90002), "The directory was not found", connector.ErrorConfiguration},
		{tokenError("invalid_request", 50011), "The redirect URI is not registered", connector.ErrorConfiguration},
		{tokenError("invalid_grant", 65001), "Admin consent is missing", connector.ErrorConsent},
		{tokenError("invalid_grant", 50173), "The authorization was revoked", connector.ErrorNeedsReauth},
		{tokenError("invalid_grant", 700082), "The authorization has expired", connector.ErrorNeedsReauth},
		{tokenError("invalid_grant", 9999999), "The authorization is no longer valid", connector.ErrorNeedsReauth},
		{tokenError("temporarily_unavailable", 9999998), "Microsoft's sign-in service is unavailable", connector.ErrorTransient},
		{fmt.Errorf("dial tcp: connection refused"), "Microsoft could not be reached", connector.ErrorTransient},
	}
	for _, tc := range cases {
		p := c.DescribeError(tc.err, redirect)
		require.Equal(t, tc.title, p.Title, tc.err.Error())
		require.Equal(t, tc.class, p.Class, tc.err.Error())
		require.NotEmpty(t, p.NextStep)
	}
	require.Contains(t, c.DescribeError(tokenError("invalid_request", 50011), redirect).NextStep, redirect)
	require.Equal(t, "AADSTS7000215", c.DescribeError(tokenError("invalid_client", 7000215), redirect).Code)
}

func TestCallbackProblem(t *testing.T) {
	t.Parallel()
	c := New(Options{}, nil)
	require.Nil(t, c.CallbackProblem(url.Values{"code": {"x"}}))
	cases := []struct {
		params url.Values
		title  string
		admin  bool
	}{
		{url.Values{"error": {"access_denied"}, "error_subcode": {"cancel"}}, "Consent was not given", false},
		{url.Values{"error": {"access_denied"}}, "Consent was not given", false},
		{url.Values{"error": {"consent_required"}, "error_description": {"AADSTS65001: The user or administrator has not consented"}}, "Admin consent is missing", true},
		{url.Values{"error": {"consent_required"}}, "Admin consent is required", true},
		{url.Values{"error": {"interaction_required"}, "error_subcode": {"basic_action"}}, "Microsoft needs you to sign in interactively", false},
		{url.Values{"error": {"invalid_request"}, "error_description": {"AADSTS90002: Tenant not found."}}, "The directory was not found", false},
	}
	for _, tc := range cases {
		p := c.CallbackProblem(tc.params)
		require.NotNil(t, p)
		require.Equal(t, tc.title, p.Title, tc.params.Encode())
		require.Equal(t, tc.admin, p.OfferConsent, tc.params.Encode())
	}
	cancel := c.CallbackProblem(url.Values{"error": {"access_denied"}, "error_subcode": {"cancel"}})
	require.Contains(t, cancel.Message, "You cancelled")
}

func TestRequestedScopesAreExactlyTheDocumentedSet(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{
		"https://graph.microsoft.us/User.Read.All", "https://graph.microsoft.us/AuditLog.Read.All",
		"https://graph.microsoft.us/Policy.Read.All", "https://graph.microsoft.us/IdentityRiskyUser.Read.All",
		"openid", "offline_access",
	}, RequestedScopes("https://graph.microsoft.us/"))
	var names []string
	for _, s := range definition.Scopes {
		names = append(names, s.Name)
	}
	require.Equal(t, []string{"User.Read.All", "AuditLog.Read.All", "Policy.Read.All", "IdentityRiskyUser.Read.All", "openid", "offline_access"}, names)
}
