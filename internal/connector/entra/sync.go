package entra

import (
	"context"
	"errors"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/connector/pace"
)

// Open parses the settings and gets a first access token (refreshing, and
// rotating the refresh token through req.Rotate), then returns the session
// that reads the datasets, each paced by its family's limiter.
func (c *Connector) Open(ctx context.Context, req connector.SyncRequest) (connector.Session, error) {
	s, err := ParseSettings(req.Settings)
	if err != nil {
		return nil, &connector.SyncError{Class: connector.ErrorConfiguration, Err: err,
			Problem: connector.Problem{Title: "The connection's settings are incomplete"}}
	}
	ts := &tokenSource{http: c.http, settings: s, creds: req.Credentials, rotate: req.Rotate, now: c.now}
	if _, err := ts.access(ctx); err != nil {
		return nil, err
	}
	g := newGraph(c.http, s.GraphRoot, ts, pace.New(pace.RealClock{}, c.limits, pace.Backoff{Base: c.retry.BaseDelay, Max: c.retry.MaxDelay}), c.retry, c.observer)
	return &session{c: c, g: g, st: newState(), req: req}, nil
}

// session is one sync: the Graph client and the state the checks read.
type session struct {
	c   *Connector
	g   *graph
	st  *state
	req connector.SyncRequest
}

// Collect reads one dataset.
func (s *session) Collect(ctx context.Context, d connector.Dataset, w connector.DatasetWriter) (connector.Collected, error) {
	c, g, st, req := s.c, s.g, s.st, s.req
	stats := &counters{}
	var got connector.Collected
	var err error
	switch d.Key {
	case DatasetUsers:
		got.Fetched, err = c.collectUsers(ctx, g, w, stats, st, req)
	case DatasetRegistrations:
		got.Fetched, err = c.collectRegistrations(ctx, g, w, stats, st, req)
	case DatasetPolicies:
		got.Fetched, err = c.collectPolicies(ctx, g, w, stats, st, req)
	case DatasetRiskyUsers:
		got.Fetched, err = c.collectRiskyUsers(ctx, g, w, stats, st, req)
	case DatasetRiskySignIns:
		got.Fetched, got.Cursor, err = c.collectRiskySignIns(ctx, g, w, stats, st, req)
	}
	got.Requests, got.Throttled, got.Retries = int(stats.requests.Load()), int(stats.throttled.Load()), int(stats.retries.Load())
	var ge *graphError
	if errors.As(err, &ge) {
		// A 403 is data the tenant refuses (licence or permission), not a failed read.
		err = &connector.DatasetError{Class: ge.Class, Unavailable: ge.Status == 403, Err: err}
	}
	return got, err
}
