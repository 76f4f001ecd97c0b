package github

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/secret"
)

// This file is the connector's adaptation surface to the platform. The
// connector platform (issue 15, branch p1) gives every connector the shape
// this package already has: Open returns a session, the platform calls the
// session's Collect for every dataset (concurrently) and finishes each
// writer, and calls Evaluate only for checks whose datasets were all read.
// Until that lands on main, the platform types it adds are mirrored here
// with the same names and fields, so integrating means deleting the mirrors
// and using connector.Param, connector.Params, connector.Collected and
// connector.DatasetError:
//
//	Param, Params        -> connector.Param, connector.Params (Check.Params)
//	Collected            -> connector.Collected
//	DatasetError         -> connector.DatasetError
//	CheckSpec            -> connector.Check with Params
//	OpenRequest          -> connector.SyncRequest{Settings, Credentials{Secret: the PEM}, Params, Now}
//	AuthKind, RateLimits -> Definition.AuthKind (connector.AuthAppInstallation), Definition.Limits
//	Display, Item        -> connector.Display, connector.Item
//	Clock, RealClock     -> pace.Clock, pace.RealClock (the same interface)
//	CompleteInstallation -> Authorizer.Exchange: Grant{Settings: c.Settings,
//	                        ConsentedBy: c.Installation.AccountLogin,
//	                        Scopes: c.Installation.GrantedPermissions(),
//	                        MissingScopes: c.Installation.MissingPermissions}

// Param is a number a check declares that a connection may change.
type Param struct {
	Key     string
	Label   string
	Hint    string
	Default int
	Min     int
	Max     int
}

// Params are a connection's parameter values by key.
type Params map[string]int

// Get returns the value of p: the stored one, or p's default.
func (ps Params) Get(p Param) int {
	if v, ok := ps[p.Key]; ok {
		return v
	}
	return p.Default
}

// CheckSpec is a check and the parameters it declares.
type CheckSpec struct {
	connector.Check
	Params []Param
}

// Collected is what a dataset's read produced besides its records.
type Collected struct {
	Fetched                      int
	Cursor                       string
	Requests, Throttled, Retries int
}

// DatasetError is a failed dataset read with its class. Unavailable marks
// data GitHub refuses to this installation (a permission it lacks, a plan
// that lacks the feature) rather than a read that failed.
type DatasetError struct {
	Class       string
	Unavailable bool
	Err         error
}

// Error is the underlying error's message.
func (e *DatasetError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *DatasetError) Unwrap() error { return e.Err }

// Item is one label/value pair a page shows about a connection's settings.
type Item struct {
	Label string
	Value string
}

// Display is how the connector shows a connection's settings.
type Display struct {
	Summary string
	Column  Item
	Details []Item
}

// AuthKind is how the connector authenticates: the customer's App
// installation, with a private key and short-lived installation tokens.
const AuthKind = "app_installation"

// RateLimit is one documented GitHub limit, as the definition declares it.
type RateLimit struct {
	Family string
	N      int
	W      time.Duration
	Source string
}

// RateLimits are GitHub's documented limits for an installation (github.md
// section 8). The client enforces them: requests one at a time, each
// endpoint paced within 900 a minute, the primary budget read from
// x-ratelimit-* headers (a pause until the reset when it is spent),
// secondary refusals honoured by retry-after, else x-ratelimit-reset, else
// at least a minute with backoff.
var RateLimits = []RateLimit{
	{Family: "Primary, per installation (5,000 to 12,500 by size; 15,000 on Enterprise Cloud)", N: 5000, W: time.Hour,
		Source: "https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api"},
	{Family: "Secondary, per REST endpoint", N: 900, W: time.Minute,
		Source: "https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits"},
}

// OpenRequest is what a sync gives Open.
type OpenRequest struct {
	Settings json.RawMessage
	// PrivateKey is the App's private key PEM, unsealed by the platform.
	PrivateKey secret.String
	Params     Params
	Now        time.Time
	// Cache, when not nil, stores answers for conditional requests.
	Cache Cache
}

// Connector is the GitHub connector's provider side.
type Connector struct {
	HTTP  *http.Client
	Clock Clock
	Retry Retry
}

// New returns the connector on the wall clock with the documented retry
// policy.
func New(hc *http.Client) *Connector {
	return &Connector{HTTP: hc, Clock: RealClock{}, Retry: DefaultRetry}
}

// clock is the connector's clock, the wall clock by default.
func (c *Connector) clock() Clock {
	if c.Clock == nil {
		return RealClock{}
	}
	return c.Clock
}

// retry is the connector's retry policy, the documented one by default.
func (c *Connector) retry() Retry {
	if c.Retry.Attempts < 1 {
		return DefaultRetry
	}
	return c.Retry
}

// Definition describes the connector for every page.
func (c *Connector) Definition() connector.Definition { return definition }

// Datasets lists what a sync reads.
func (c *Connector) Datasets() []connector.Dataset { return datasets }

// Checks lists what a sync evaluates.
func (c *Connector) Checks() []connector.Check {
	out := make([]connector.Check, len(checks))
	for i, chk := range checks {
		out[i] = chk.Check
	}
	return out
}

// CheckSpecs lists the checks with their parameters.
func (c *Connector) CheckSpecs() []CheckSpec { return checks }

// Open authenticates as the installation (minting the sync's first token,
// so that an uninstalled or suspended App fails the sync before any
// dataset) and returns the sync's session.
func (c *Connector) Open(ctx context.Context, req OpenRequest) (*Session, error) {
	s, err := ParseSettings(req.Settings)
	if err != nil {
		return nil, &connector.SyncError{Class: connector.ErrorConfiguration, Err: err,
			Problem: connector.Problem{Title: "The connection's settings are incomplete", Class: connector.ClassConfiguration}}
	}
	sess, err := newSession(c.HTTP, s, req.PrivateKey, c.clock(), c.retry())
	if err != nil {
		return nil, &connector.SyncError{Class: connector.ErrorConfiguration, Err: err,
			Problem: connector.Problem{Title: "The GitHub App's private key or installation is missing", Class: connector.ClassConfiguration}}
	}
	sess.params, sess.now, sess.api.cache = req.Params, req.Now, req.Cache
	if err := sess.authenticate(ctx); err != nil {
		var se *connector.SyncError
		if errors.As(err, &se) {
			return nil, err
		}
		return nil, &connector.SyncError{Class: Class(err), Err: err,
			Problem: connector.Problem{Title: "GitHub could not be reached", Message: "The installation token could not be minted.", Class: connector.ClassTransient}}
	}
	return sess, nil
}
