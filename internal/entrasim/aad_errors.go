package entrasim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// aadError is an identity platform error: an OAuth error, an AADSTS code and
// its message.
type aadError struct {
	status  int
	oauth   string // the OAuth "error" value
	code    int
	message string
}

// aadTrace carries the IDs and time every identity platform error repeats.
type aadTrace struct {
	traceID       string
	correlationID string
	timestamp     string
}

// newTrace starts an error trace for r. Like Microsoft, the correlation ID is
// the client's client-request-id header when that is a GUID.
func (s *Simulator) newTrace(r *http.Request) aadTrace {
	corr := r.Header.Get("client-request-id")
	if uuid.Validate(corr) != nil {
		corr = randomGUID()
	}
	return aadTrace{
		traceID:       randomGUID(),
		correlationID: corr,
		timestamp:     s.now().UTC().Format("2006-01-02 15:04:05Z"),
	}
}

// description is the error_description text: the AADSTS message followed by
// the Trace ID, Correlation ID and Timestamp lines.
func (e aadError) description(tr aadTrace) string {
	return e.headline() + "\r\nTrace ID: " + tr.traceID + "\r\nCorrelation ID: " + tr.correlationID + "\r\nTimestamp: " + tr.timestamp
}

// headline is "AADSTSnnnn: message", or the bare message of a simulator
// limitation, which has no AADSTS code.
func (e aadError) headline() string {
	if e.code == 0 {
		return e.message
	}
	return "AADSTS" + strconv.Itoa(e.code) + ": " + e.message
}

func ptr(e aadError) *aadError { return &e }

// errorURI is Microsoft's error lookup page for an AADSTS code.
func errorURI(code int) string {
	return "https://login.microsoftonline.com/error?code=" + strconv.Itoa(code)
}

type aadErrorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	ErrorURI         string `json:"error_uri"`
}

// writeTokenError answers a token request with e in the documented body shape.
func (s *Simulator) writeTokenError(w http.ResponseWriter, r *http.Request, e aadError) {
	tr := s.newTrace(r)
	s.log.InfoContext(r.Context(), "entrasim: token error", "error", e.oauth, "code", e.code)
	writeTokenJSON(w, e.status, aadErrorBody{
		Error:            e.oauth,
		ErrorDescription: e.description(tr),
		ErrorCodes:       []int{e.code},
		Timestamp:        tr.timestamp,
		TraceID:          tr.traceID,
		CorrelationID:    tr.correlationID,
		ErrorURI:         errorURI(e.code),
	})
}

// writeTokenJSON writes a token endpoint answer, which is never cached.
func writeTokenJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store, no-cache")
	h.Set("Pragma", "no-cache")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// The identity platform errors the simulator answers with. Messages follow
// Microsoft's; those naming a value are built by the functions below.
var (
	errMissingSecret = aadError{http.StatusUnauthorized, "invalid_client", 7000218,
		"The request body must contain the following parameter: 'client_assertion' or 'client_secret'."}
	errCodeRedeemed = aadError{http.StatusBadRequest, "invalid_grant", 54005,
		"OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."}
	errCodeExpired = aadError{http.StatusBadRequest, "invalid_grant", 70008,
		"The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource."}
	errMalformedGrant = aadError{http.StatusBadRequest, "invalid_grant", 9002313,
		"Invalid request. Request is malformed or invalid."}
	errVerifierMismatch = aadError{http.StatusBadRequest, "invalid_grant", 501481,
		"The Code_Verifier does not match the code_challenge supplied in the authorization request."}
	errRedirectMismatch = aadError{http.StatusBadRequest, "invalid_grant", 70000,
		"The provided value for the 'redirect_uri' is not valid. The value must exactly match the redirect URI used to obtain the authorization code."}
	errInteraction = aadError{http.StatusBadRequest, "interaction_required", 50076,
		"Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'."}
	errRefreshInactive = aadError{http.StatusBadRequest, "invalid_grant", 700082,
		"The refresh token has expired due to inactivity. The token was issued on a date more than 90 days ago and was inactive for 90.00:00:00."}
)

func errPOSTOnly(method string) aadError {
	return aadError{http.StatusBadRequest, "invalid_request", 900561,
		"The endpoint only accepts POST requests. Received a " + method + " request."}
}

func errMissingParam(name string) aadError {
	return aadError{http.StatusBadRequest, "invalid_request", 900144,
		"The request body must contain the following parameter: '" + name + "'."}
}

func errUnknownTenant(tenant string) aadError {
	return aadError{http.StatusBadRequest, "invalid_request", 90002,
		"Tenant '" + tenant + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."}
}

func errCommonEndpoint(clientID string) aadError {
	return aadError{http.StatusBadRequest, "invalid_request", 50194,
		"Application '" + clientID + "' is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant."}
}

func errUnknownClient(clientID, tenant string) aadError {
	return aadError{http.StatusBadRequest, "unauthorized_client", 700016,
		"Application with identifier '" + clientID + "' was not found in the directory '" + tenant + "'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."}
}

func errWrongSecret(clientID string) aadError {
	return aadError{http.StatusUnauthorized, "invalid_client", 7000215,
		"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" + clientID + "'."}
}

func errUnregisteredRedirect(redirectURI, clientID string) aadError {
	return aadError{http.StatusBadRequest, "invalid_request", 50011,
		"The redirect URI '" + redirectURI + "' specified in the request does not match the redirect URIs configured for the application '" + clientID + "'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this."}
}

func errGrantType(grantType string) aadError {
	return aadError{http.StatusBadRequest, "unsupported_grant_type", 70003,
		"The app requested an unsupported grant type '" + grantType + "'."}
}

func errNotConsented(clientID string) aadError {
	return aadError{http.StatusBadRequest, "invalid_grant", 65001,
		"The user or administrator has not consented to use the application with ID '" + clientID + "'. Send an interactive authorization request for this user and resource."}
}

func errRevoked(issued, validFrom time.Time) aadError {
	return aadError{http.StatusBadRequest, "invalid_grant", 50173,
		"The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '" +
			issued.UTC().Format(time.RFC3339) + "' and the TokensValidFrom date (before which tokens are not valid) for this user is '" + validFrom.UTC().Format(time.RFC3339) + "'."}
}

// faultTokenError is the identity platform body of an injected token fault.
func faultTokenError(status int) aadError {
	switch status {
	case http.StatusTooManyRequests:
		return aadError{status, "temporarily_unavailable", 90055, "There are too many incoming requests. Please try again later."}
	case http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return aadError{status, "temporarily_unavailable", 90033, "A transient error has occurred. Please try again."}
	default:
		return aadError{status, "server_error", 90033, "A transient error has occurred. Please try again."}
	}
}
