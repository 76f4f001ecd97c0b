package entra

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/oauth2"

	"github.com/attesthq/attest/internal/connector"
)

var errNoRefreshToken = errors.New("the token response carried no refresh token (offline_access was not granted)")

var errNoCode = errors.New("the callback carried neither a code nor an error")

// TokenError is an error answer of the token endpoint, decoded.
type TokenError struct {
	Code        string // the OAuth error, e.g. invalid_grant
	Description string
	AADSTS      []int
	Status      int
}

func (e *TokenError) Error() string {
	return fmt.Sprintf("token endpoint: %s (HTTP %d, AADSTS%v)", e.Code, e.Status, e.AADSTS)
}

// AsTokenError decodes an error returned by the token endpoint, through
// x/oauth2's RetrieveError (which does not parse error_codes) or our own
// refresh call.
func AsTokenError(err error) (*TokenError, bool) {
	var te *TokenError
	if errors.As(err, &te) {
		return te, true
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return nil, false
	}
	te = &TokenError{Code: re.ErrorCode, Description: re.ErrorDescription}
	if re.Response != nil {
		te.Status = re.Response.StatusCode
	}
	var body struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Codes       []int  `json:"error_codes"`
	}
	if json.Unmarshal(re.Body, &body) == nil {
		if te.Code == "" {
			te.Code = body.Error
		}
		if te.Description == "" {
			te.Description = body.Description
		}
		te.AADSTS = body.Codes
	}
	if len(te.AADSTS) == 0 {
		te.AADSTS = aadstsCodes(te.Description)
	}
	return te, true
}

var aadstsPattern = regexp.MustCompile(`AADSTS(\d+)`)

func aadstsCodes(s string) []int {
	var out []int
	for _, m := range aadstsPattern.FindAllStringSubmatch(s, -1) {
		if n, err := strconv.Atoi(m[1]); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// aadstsProblems explain the AADSTS codes a connection meets, in plain words.
// Microsoft says to branch on the OAuth error, not the number; the number only
// refines the message.
var aadstsProblems = map[int]connector.Problem{
	7000215: {Title: "The client secret was not accepted", Class: connector.ErrorConfiguration,
		Message:  "Microsoft rejected the client secret. It is often the secret's ID pasted instead of its value.",
		NextStep: "In Certificates & secrets, copy the secret's Value column (or create a new secret), then connect again."},
	70002: {Title: "The client secret was not accepted", Class: connector.ErrorConfiguration,
		Message:  "Microsoft says the credentials do not match this application.",
		NextStep: "Check the application (client) ID and create a new client secret, then connect again."},
	7000222: {Title: "The client secret has expired", Class: connector.ErrorConfiguration,
		Message:  "The app registration's client secret is past its expiry date.",
		NextStep: "Create a new client secret in Certificates & secrets, then re-authorize with it."},
	7000218: {Title: "No client secret was sent", Class: connector.ErrorConfiguration,
		Message:  "The request to Microsoft carried no client secret.",
		NextStep: "Enter the client secret's value and connect again."},
	700016: {Title: "The application was not found in this directory", Class: connector.ErrorConfiguration,
		Message:  "Microsoft has no app with this application (client) ID in the directory you entered.",
		NextStep: "Check the application (client) ID, and that the app is registered in this tenant and cloud."},
	90002: {Title: "The directory was not found", Class: connector.ErrorConfiguration,
		Message:  "Microsoft has no tenant with this directory ID or domain in the chosen cloud.",
		NextStep: "Check the directory (tenant) ID and that you picked the right cloud (a government or China tenant needs its own cloud)."},
	50011: {Title: "The redirect URI is not registered", Class: connector.ErrorConfiguration,
		Message:  "The app registration does not list attest's redirect URI.",
		NextStep: "Add {redirect_uri} as a Web redirect URI under Authentication, then connect again."},
	70004: {Title: "The redirect URI is not registered", Class: connector.ErrorConfiguration,
		Message:  "The app registration does not list attest's redirect URI.",
		NextStep: "Add {redirect_uri} as a Web redirect URI under Authentication, then connect again."},
	50194: {Title: "Use your own directory", Class: connector.ErrorConfiguration,
		Message:  "The app is single-tenant, so it must be addressed through its own directory ID.",
		NextStep: "Enter the directory (tenant) ID from the app's Overview page."},
	65001: {Title: "Admin consent is missing", Class: connector.ErrorConsent, OfferConsent: true,
		Message:  "The permissions attest needs have not been granted in this tenant.",
		NextStep: "Ask a Privileged Role, Cloud Application or Application Administrator to grant admin consent, then connect again."},
	65004: {Title: "Consent was declined", Class: connector.ErrorCancelled,
		Message:  "The consent prompt was declined, so Microsoft did not authorize attest.",
		NextStep: "Start again and accept, or ask an administrator to grant admin consent."},
	90094: {Title: "Admin consent is required", Class: connector.ErrorConsent, OfferConsent: true,
		Message:  "These permissions need an administrator's consent.",
		NextStep: "Ask a Privileged Role, Cloud Application or Application Administrator to use the admin-consent link, then connect again."},
	650056: {Title: "The app registration lacks permissions", Class: connector.ErrorConsent, OfferConsent: true,
		Message:  "The app registration does not list the Graph permissions attest requests, or they are not consented.",
		NextStep: "Under API permissions add User.Read.All, AuditLog.Read.All, Policy.Read.All and IdentityRiskyUser.Read.All (delegated) and grant admin consent."},
	650057: {Title: "The app registration lacks permissions", Class: connector.ErrorConsent, OfferConsent: true,
		Message:  "The app registration does not list the Graph permissions attest requests.",
		NextStep: "Under API permissions add User.Read.All, AuditLog.Read.All, Policy.Read.All and IdentityRiskyUser.Read.All (delegated) and grant admin consent."},
	54005: {Title: "The sign-in was already used", Class: connector.ErrorTransient,
		Message:  "This authorization code was already redeemed.",
		NextStep: "Start the connection again."},
	70008: {Title: "The authorization has expired", Class: connector.ErrorNeedsReauth,
		Message:  "The authorization code or refresh token has expired.",
		NextStep: "Authorize the connection again."},
	700082: {Title: "The authorization has expired", Class: connector.ErrorNeedsReauth,
		Message:  "The refresh token expired after 90 days without use.",
		NextStep: "Re-authorize the connection."},
	50173: {Title: "The authorization was revoked", Class: connector.ErrorNeedsReauth,
		Message:  "An administrator or the user revoked the sign-in sessions, or reset the password.",
		NextStep: "Re-authorize the connection."},
	70043: {Title: "Conditional Access ended the authorization", Class: connector.ErrorNeedsReauth,
		Message:  "A Conditional Access sign-in frequency policy expired the refresh token.",
		NextStep: "Re-authorize the connection, or exclude this app from the sign-in frequency policy."},
	50076: {Title: "Multi-factor authentication is required", Class: connector.ErrorNeedsReauth,
		Message:  "Microsoft needs the consenting account to complete MFA interactively.",
		NextStep: "Re-authorize the connection and complete the MFA prompt."},
	50079: {Title: "MFA registration is required", Class: connector.ErrorNeedsReauth,
		Message:  "The consenting account must register for multi-factor authentication.",
		NextStep: "Register MFA for that account, then re-authorize."},
	53003: {Title: "Blocked by Conditional Access", Class: connector.ErrorConfiguration,
		Message:  "A Conditional Access policy blocked this sign-in.",
		NextStep: "Authorize from a device and location your policies allow, or adjust the policy for this app."},
	501481: {Title: "The sign-in could not be verified", Class: connector.ErrorTransient,
		Message:  "The PKCE proof did not match the sign-in request.",
		NextStep: "Start the connection again."},
}

// DescribeError explains an Exchange or refresh failure.
func (c *Connector) DescribeError(err error, redirectURI string) connector.Problem {
	te, ok := AsTokenError(err)
	if !ok {
		if errors.Is(err, errNoCode) {
			return connector.Problem{Title: "Microsoft sent no authorization code", Class: connector.ErrorTransient,
				Message: "The sign-in returned without a code or an error.", NextStep: "Start the connection again."}
		}
		if errors.Is(err, errNoRefreshToken) {
			return connector.Problem{Title: "Offline access was not granted", Class: connector.ErrorConsent,
				Message:  "Microsoft issued no refresh token, so attest could not sync on its own.",
				NextStep: "Make sure the consent includes offline_access (\"Maintain access to data you have given it access to\") and connect again."}
		}
		return connector.Problem{Title: "Microsoft could not be reached", Class: connector.ErrorTransient,
			Message:  "The request to Microsoft's sign-in service failed before it answered.",
			NextStep: "Try again in a few minutes."}
	}
	for _, code := range te.AADSTS {
		if p, ok := aadstsProblems[code]; ok {
			p.Code = "AADSTS" + strconv.Itoa(code)
			p.NextStep = strings.ReplaceAll(p.NextStep, "{redirect_uri}", redirectURI)
			return p
		}
	}
	p := problemForOAuthError(te.Code)
	if len(te.AADSTS) > 0 {
		p.Code = "AADSTS" + strconv.Itoa(te.AADSTS[0])
	}
	return p
}

// problemForOAuthError explains the standard OAuth error values.
func problemForOAuthError(code string) connector.Problem {
	switch code {
	case "invalid_grant":
		return connector.Problem{Title: "The authorization is no longer valid", Class: connector.ErrorNeedsReauth,
			Message: "Microsoft no longer accepts attest's authorization for this tenant.", NextStep: "Re-authorize the connection."}
	case "interaction_required", "consent_required":
		return connector.Problem{Title: "Microsoft needs you to sign in again", Class: connector.ErrorNeedsReauth,
			Message: "The tenant requires an interactive sign-in or consent.", NextStep: "Re-authorize the connection.", OfferConsent: code == "consent_required"}
	case "invalid_client", "unauthorized_client":
		return connector.Problem{Title: "The app registration was not accepted", Class: connector.ErrorConfiguration,
			Message: "Microsoft rejected the application's credentials.", NextStep: "Check the application (client) ID and client secret, then connect again."}
	case "temporarily_unavailable", "server_error":
		return connector.Problem{Title: "Microsoft's sign-in service is unavailable", Class: connector.ErrorTransient,
			Message: "Microsoft answered with a temporary error.", NextStep: "Try again in a few minutes."}
	}
	return connector.Problem{Title: "Microsoft refused the request", Class: connector.ErrorConfiguration,
		Message:  "The sign-in service answered " + code + ".",
		NextStep: "Check the app registration against the three steps on the integration page, then connect again."}
}

// CallbackProblem explains an error Microsoft sent back to the redirect URI.
func (c *Connector) CallbackProblem(params url.Values) *connector.Problem {
	code := params.Get("error")
	if code == "" {
		return nil
	}
	desc := params.Get("error_description")
	var p connector.Problem
	switch code {
	case "access_denied":
		p = connector.Problem{Title: "Consent was not given", Class: connector.ErrorCancelled,
			Message:  "The Microsoft sign-in was cancelled or consent was declined, so nothing was connected.",
			NextStep: "Start again when you are ready, or ask an administrator to grant admin consent first."}
		if params.Get("error_subcode") == "cancel" {
			p.Message = "You cancelled the Microsoft sign-in, so nothing was connected."
		}
	case "consent_required":
		p = connector.Problem{Title: "Admin consent is required", Class: connector.ErrorConsent, OfferConsent: true,
			Message:  "These permissions need an administrator's consent in this tenant.",
			NextStep: "Ask a Privileged Role, Cloud Application or Application Administrator to use the admin-consent link, then connect again."}
	case "interaction_required":
		p = connector.Problem{Title: "Microsoft needs you to sign in interactively", Class: connector.ErrorNeedsReauth,
			Message:  "The sign-in needs an interactive step, such as multi-factor authentication.",
			NextStep: "Start again and complete the prompts."}
	default:
		p = problemForOAuthError(code)
	}
	if codes := aadstsCodes(desc); len(codes) > 0 {
		if refined, ok := aadstsProblems[codes[0]]; ok && code != "access_denied" {
			p = refined
		}
		p.Code = "AADSTS" + strconv.Itoa(codes[0])
	}
	return &p
}
