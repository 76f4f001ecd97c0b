package entra

import (
	"context"
	"errors"
	"sync"

	"github.com/attesthq/attest/internal/connector"
)

// Sync authenticates, then reads every dataset concurrently (each paced by
// its family's limiter) and evaluates the checks on what it read.
func (c *Connector) Sync(ctx context.Context, req connector.SyncRequest) (connector.SyncResult, error) {
	s, err := ParseSettings(req.Settings)
	if err != nil {
		return connector.SyncResult{}, &connector.SyncError{Class: connector.ErrorConfiguration, Err: err,
			Problem: connector.Problem{Title: "The connection's settings are incomplete"}}
	}
	ts := &tokenSource{http: c.http, settings: s, secret: req.ClientSecret, refreshT: req.RefreshToken, save: req.SaveRefreshToken, now: c.now}
	if _, err := ts.access(ctx); err != nil {
		return connector.SyncResult{}, err
	}
	g := newGraph(c.http, s.GraphRoot, ts, newPacer(realClock{}, c.limits, c.retry), c.retry, c.observer)
	st := newState()
	results := make([]connector.DatasetResult, len(datasets))
	var wg sync.WaitGroup
	for i, d := range datasets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = c.collect(ctx, g, d, req, st)
		}()
	}
	wg.Wait()
	byKey := map[string]connector.DatasetResult{}
	for _, r := range results {
		byKey[r.Dataset] = r
	}
	return connector.SyncResult{Datasets: results, Checks: evaluate(st, byKey, req.Params, req.Now)}, nil
}

// collect reads one dataset and reports how it went.
func (c *Connector) collect(ctx context.Context, g *graph, d connector.Dataset, req connector.SyncRequest, st *state) connector.DatasetResult {
	w := req.Writer(d.Key)
	stats := &counters{}
	var fetched int
	var cursor string
	var err error
	switch d.Key {
	case DatasetUsers:
		fetched, err = c.collectUsers(ctx, g, w, stats, st, req)
	case DatasetRegistrations:
		fetched, err = c.collectRegistrations(ctx, g, w, stats, st, req)
	case DatasetPolicies:
		fetched, err = c.collectPolicies(ctx, g, w, stats, st, req)
	case DatasetRiskyUsers:
		fetched, err = c.collectRiskyUsers(ctx, g, w, stats, st, req)
	case DatasetRiskySignIns:
		fetched, cursor, err = c.collectRiskySignIns(ctx, g, w, stats, st, req)
	}
	if err == nil {
		err = w.Finish(ctx)
	}
	r := connector.DatasetResult{Dataset: d.Key, Status: connector.DatasetOK, Fetched: fetched, Cursor: cursor,
		Requests: int(stats.requests.Load()), Throttled: int(stats.throttled.Load()), Retries: int(stats.retries.Load())}
	if err == nil {
		return r
	}
	r.Status, r.ErrorClass, r.Error = connector.DatasetFailed, connector.ErrorTransient, err.Error()
	var ge *graphError
	var se *connector.SyncError
	switch {
	case errors.As(err, &ge):
		r.ErrorClass = ge.Class
		if ge.Status == 403 {
			r.Status = connector.DatasetUnavailable
		}
	case errors.As(err, &se):
		r.ErrorClass = se.Class
	}
	return r
}
