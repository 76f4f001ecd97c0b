package github

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/connector/pace"
)

// This file is the connector's side of the platform's contract
// (internal/connector): the definition's declarations, the connect form's
// connector, and Open, which returns the session the platform runs.

// RateLimits are GitHub's documented limits for an installation (github.md
// section 8). The client enforces them: requests one at a time, each
// endpoint paced within 900 a minute, the primary budget read from
// x-ratelimit-* headers (a pause until the reset when it is spent),
// secondary refusals honoured by retry-after, else x-ratelimit-reset, else
// at least a minute with backoff.
var RateLimits = []connector.RateLimit{limitPrimary, limitPerEndpoint}

// The documented limits, each declared once.
var (
	limitPrimary = connector.RateLimit{Family: "Primary, per installation (5,000 to 12,500 by size; 15,000 on Enterprise Cloud)", N: 5000, W: time.Hour,
		Source: "https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api"}
	// limitPerEndpoint is counted in points: a GET 1, a POST 5.
	limitPerEndpoint = connector.RateLimit{Family: "Secondary, per REST endpoint", N: 900, W: time.Minute,
		Source: "https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits"}
)

// Connector is the GitHub connector.
type Connector struct {
	HTTP  *http.Client
	Clock Clock
	Retry Retry
	// Simulated, when set, offers the built-in simulator as a "Simulated
	// organization" on the connect form.
	Simulated *Simulated
	// Observer, when set, learns of every request a sync sends, each
	// throttling answer and each retry, by endpoint (metrics).
	Observer pace.Observer
}

// Simulated is the built-in GitHub simulator as the connect form offers
// it (development only).
type Simulated struct {
	// APIRoot and WebRoot are the simulator's roots.
	APIRoot string
	WebRoot string
	// Org is the simulated organization's login.
	Org string
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
func (c *Connector) Checks() []connector.Check { return checks }

// Open authenticates as the installation (minting the sync's first token,
// so that an uninstalled or suspended App fails the sync before any
// dataset) and returns the sync's session, which sends conditional
// requests from the platform's stored validators.
func (c *Connector) Open(ctx context.Context, req connector.SyncRequest) (connector.Session, error) {
	var cache Cache
	if req.Validators != nil {
		cache = validatorCache{ctx: ctx, v: req.Validators}
	}
	return c.open(ctx, req, cache)
}

// open is Open with an ETag cache.
func (c *Connector) open(ctx context.Context, req connector.SyncRequest, cache Cache) (*Session, error) {
	s, err := ParseSettings(req.Settings)
	if err != nil {
		return nil, &connector.SyncError{Class: connector.ErrorConfiguration, Err: err,
			Problem: connector.Problem{Title: "The connection's settings are incomplete", Class: connector.ErrorConfiguration}}
	}
	sess, err := newSession(c.HTTP, s, req.Credentials.Secret, c.clock(), c.retry(), c.observer())
	if err != nil {
		return nil, &connector.SyncError{Class: connector.ErrorConfiguration, Err: err,
			Problem: connector.Problem{Title: "The GitHub App's private key or installation is missing", Class: connector.ErrorConfiguration}}
	}
	sess.params, sess.now, sess.api.cache = req.Params, req.Now, cache
	if err := sess.authenticate(ctx); err != nil {
		var se *connector.SyncError
		if errors.As(err, &se) {
			return nil, err
		}
		return nil, &connector.SyncError{Class: Class(err), Err: err,
			Problem: connector.Problem{Title: "GitHub could not be reached", Message: "The installation token could not be minted.", Class: connector.ErrorTransient}}
	}
	return sess, nil
}

// observer is the Observer, or one that observes nothing.
func (c *Connector) observer() pace.Observer {
	if c.Observer == nil {
		return pace.NoObserver{}
	}
	return c.Observer
}
