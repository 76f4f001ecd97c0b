package entrasim

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// graphError is a Microsoft Graph error answer.
type graphError struct {
	status  int
	code    string
	message string
}

// Graph errors the simulator answers with.
var (
	errTokenEmpty   = graphError{http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty."}
	errTokenInvalid = graphError{http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience."}
	errTokenExpired = graphError{http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token has expired or is not yet valid."}
	errDenied       = graphError{http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."}
	errNonPremium   = graphError{http.StatusForbidden, "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
		"Neither tenant is B2C or tenant doesn't have premium license"}
	errNotLicensed = graphError{http.StatusForbidden, "Forbidden", "Your tenant is not licensed for this feature."}
	errMethod      = graphError{http.StatusMethodNotAllowed, "BadRequest", "Specified HTTP method is not allowed for the request target."}
)

// faultError is the Graph error body of an injected fault with status.
func faultError(status int) graphError {
	switch status {
	case http.StatusBadRequest:
		return graphError{status, "BadRequest", "The request is malformed or incorrect."}
	case http.StatusUnauthorized:
		return errTokenInvalid
	case http.StatusForbidden:
		return errDenied
	case http.StatusServiceUnavailable:
		return graphError{status, "serviceNotAvailable",
			"The service is temporarily unavailable for maintenance or is overloaded. You may repeat the request after a delay, which can be specified in a Retry-After header."}
	case http.StatusGatewayTimeout:
		return graphError{status, "timeout", "The operation timed out before it could be completed."}
	default:
		return graphError{status, "generalException", "An unspecified error has occurred."}
	}
}

// graphCall carries the per-request values every Graph answer repeats.
type graphCall struct {
	w               http.ResponseWriter
	r               *http.Request
	requestID       string
	clientRequestID string
	date            string // innerError date, on the Now clock
}

type graphInnerError struct {
	Date            string `json:"date"`
	RequestID       string `json:"request-id"`
	ClientRequestID string `json:"client-request-id"`
}

type graphErrorBody struct {
	Error struct {
		Code       string          `json:"code"`
		Message    string          `json:"message"`
		InnerError graphInnerError `json:"innerError"`
	} `json:"error"`
}

// throttledBody is the documented 429 body.
type throttledBody struct {
	Error struct {
		Code       string `json:"code"`
		InnerError struct {
			Code      string `json:"code"`
			Date      string `json:"date"`
			Message   string `json:"message"`
			RequestID string `json:"request-id"`
			Status    string `json:"status"`
		} `json:"innerError"`
		Message string `json:"message"`
	} `json:"error"`
}

// fail writes e as Graph's error body.
func (c *graphCall) fail(e graphError) {
	if e.status == http.StatusTooManyRequests {
		c.throttled("")
		return
	}
	var body graphErrorBody
	body.Error.Code, body.Error.Message = e.code, e.message
	body.Error.InnerError = graphInnerError{Date: c.date, RequestID: c.requestID, ClientRequestID: c.clientRequestID}
	c.writeJSON(e.status, body)
}

// throttled writes the documented 429 answer, with Retry-After unless
// retryAfter is empty.
func (c *graphCall) throttled(retryAfter string) {
	if retryAfter != "" {
		c.w.Header().Set("Retry-After", retryAfter)
	}
	var body throttledBody
	body.Error.Code, body.Error.Message = "TooManyRequests", "Please retry again later."
	ie := &body.Error.InnerError
	ie.Code, ie.Date, ie.Message, ie.RequestID, ie.Status = "429", c.date, "Please retry after", c.requestID, "429"
	c.writeJSON(http.StatusTooManyRequests, body)
}

func (c *graphCall) writeJSON(status int, v any) {
	b, _ := json.Marshal(v)
	h := c.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	c.w.WriteHeader(status)
	_, _ = c.w.Write(b)
}
