package github

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/attesthq/attest/internal/connector"
)

// The messages GitHub answers that change what a failure means (github.md).
const (
	msgSuspended     = "This installation has been suspended"
	msgNotAccessible = "Resource not accessible by integration"
	msgNotProtected  = "Branch not protected"
	msgUpgrade       = "Upgrade to GitHub Pro or make this repository public"
)

// APIError is an error answer of GitHub's REST API.
type APIError struct {
	Method   string
	Endpoint string // the path, without query
	Status   int
	Message  string
	// AcceptedPermissions is X-Accepted-GitHub-Permissions: the permission
	// the endpoint needs.
	AcceptedPermissions string
}

// Error names the request, the status, GitHub's message and the permission
// GitHub says the endpoint needs.
func (e *APIError) Error() string {
	s := fmt.Sprintf("%s %s: HTTP %d", e.Method, e.Endpoint, e.Status)
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.AcceptedPermissions != "" {
		s += " (needs " + e.AcceptedPermissions + ")"
	}
	return s
}

// Suspended reports an installation GitHub suspended.
func (e *APIError) Suspended() bool {
	return e.Status == http.StatusForbidden && strings.Contains(e.Message, msgSuspended)
}

// PlanLimited reports the Free plan's refusal to protect a private
// repository.
func (e *APIError) PlanLimited() bool {
	return e.Status == http.StatusForbidden && strings.Contains(e.Message, msgUpgrade)
}

// ErrThrottled is a request still refused by a rate limit after the
// retries.
var ErrThrottled = errors.New("github: rate limited")

// ErrMalformed is an answer the connector cannot read.
var ErrMalformed = errors.New("github: malformed answer")

// Class is the connector's error class for err: 401 and a suspended
// installation need re-authorization (the App's key, installation or
// suspension must be fixed by a person); a missing permission is
// configuration; the Free plan's refusal is a licence limit.
func Class(err error) connector.ErrorClass {
	var ae *APIError
	var se *connector.SyncError
	switch {
	case errors.As(err, &se):
		return se.Class
	case errors.Is(err, ErrThrottled):
		return connector.ErrorThrottled
	case errors.Is(err, ErrMalformed):
		return connector.ErrorMalformed
	case !errors.As(err, &ae):
		return connector.ErrorTransient
	case ae.Status == http.StatusUnauthorized, ae.Suspended():
		return connector.ErrorNeedsReauth
	case ae.PlanLimited():
		return connector.ErrorLicence
	case ae.Status == http.StatusForbidden, ae.Status == http.StatusNotFound, ae.Status == http.StatusUnprocessableEntity,
		ae.Status == http.StatusBadRequest, ae.Status == http.StatusGone:
		return connector.ErrorConfiguration
	}
	return connector.ErrorTransient
}

// reauth wraps an authentication failure as a sync failure needing
// re-authorization, explained for people.
func reauth(title, message string, err error) error {
	return &connector.SyncError{Class: connector.ErrorNeedsReauth, Err: err, Problem: connector.Problem{
		Title: title, Message: message, Class: connector.ErrorNeedsReauth,
		NextStep: "Reconnect the GitHub App: check it is installed on the organization, not suspended, and that its private key is current."}}
}
