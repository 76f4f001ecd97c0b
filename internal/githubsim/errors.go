package githubsim

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// docsURL is the documentation_url of the simulator's error bodies.
const docsURL = "https://docs.github.com/rest"

// The error messages the simulator answers with. Those quoted in
// shared/reference/github.md are GitHub's own words; the rest follow the
// shape GitHub answers with where the reference does not quote a message.
const (
	msgBadCredentials   = "Bad credentials"
	msgRequiresAuth     = "Requires authentication"
	msgNotFound         = "Not Found"
	msgNotAccessible    = "Resource not accessible by integration"
	msgSuspended        = "This installation has been suspended"
	msgNotProtected     = "Branch not protected"
	msgUpgrade          = "Upgrade to GitHub Pro or make this repository public to enable this feature."
	msgPageUnsupported  = "Pagination using the page parameter is not supported."
	msgSecondary        = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
	msgJWTDecode        = "A JSON web token could not be decoded"
	msgJWTExpTooFar     = "'Expiration time' claim ('exp') is too far in the future"
	msgJWTExpired       = "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
	msgJWTIssuedFuture  = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
	msgJWTIssuer        = "'Issuer' claim ('iss') must be the App's client ID or App ID"
	msgJWTScheme        = "A JSON web token must be sent with the Bearer scheme"
	msgUserAgent        = "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required)."
	msgValidationFailed = "Validation Failed"
)

// errorBody is GitHub's error answer.
type errorBody struct {
	Message          string `json:"message"`
	DocumentationURL string `json:"documentation_url"`
	Status           string `json:"status"`
}

// writeError answers status with GitHub's error body.
func writeError(w http.ResponseWriter, status int, message string) {
	b, _ := json.Marshal(errorBody{Message: message, DocumentationURL: docsURL, Status: strconv.Itoa(status)})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
