package connector

import (
	"context"
	"errors"
	"sort"
	"sync"
)

// Run is one sync as the platform runs it for every connector: it opens the
// connector's session, collects every declared dataset concurrently into
// the writer the platform gives for it, finishes each dataset that was read
// completely, and evaluates the checks. A check whose datasets were not all
// read OK is unknown and never evaluated: a read error is never a pass.
// Run returns an error only when Open failed (nothing could be read).
func Run(ctx context.Context, c Connector, req SyncRequest, writer func(dataset string) DatasetWriter) (SyncResult, error) {
	sess, err := c.Open(ctx, req)
	if err != nil {
		return SyncResult{}, err
	}
	ds := c.Datasets()
	results := make([]DatasetResult, len(ds))
	var wg sync.WaitGroup
	for i, d := range ds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = collect(ctx, sess, d, writer(d.Key))
		}()
	}
	wg.Wait()
	return SyncResult{Datasets: results, Checks: evaluate(c, sess, results)}, nil
}

// collect reads one dataset and reports how it went.
func collect(ctx context.Context, sess Session, d Dataset, w DatasetWriter) DatasetResult {
	got, err := sess.Collect(ctx, d, w)
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = w.Finish(ctx)
	}
	r := DatasetResult{Dataset: d.Key, Status: DatasetOK, Fetched: got.Fetched, Cursor: got.Cursor,
		Requests: got.Requests, Throttled: got.Throttled, Retries: got.Retries}
	if err == nil {
		return r
	}
	r.Status, r.ErrorClass, r.Error, r.Cursor = DatasetFailed, ErrorTransient, err.Error(), ""
	var de *DatasetError
	var se *SyncError
	switch {
	case errors.As(err, &de):
		r.ErrorClass = de.Class
		if de.Unavailable {
			r.Status = DatasetUnavailable
		}
	case errors.As(err, &se):
		r.ErrorClass = se.Class
	}
	return r
}

// evaluate runs every declared check, in declaration order.
func evaluate(c Connector, sess Session, results []DatasetResult) []CheckResult {
	byKey := map[string]DatasetResult{}
	for _, r := range results {
		byKey[r.Dataset] = r
	}
	titles := map[string]string{}
	for _, d := range c.Datasets() {
		titles[d.Key] = d.Title
	}
	var out []CheckResult
	for _, chk := range c.Checks() {
		if r, missing := unread(chk, byKey); missing {
			out = append(out, CheckResult{Key: chk.Key, Status: CheckUnknown, Reason: unreadable(c.Definition(), titles[r.Dataset], r)})
			continue
		}
		res := sess.Evaluate(chk)
		res.Key = chk.Key
		sort.SliceStable(res.Failing, func(i, j int) bool { return res.Failing[i].Label < res.Failing[j].Label })
		out = append(out, res)
	}
	return out
}

// unread returns the first dataset of chk not read OK this sync.
func unread(chk Check, results map[string]DatasetResult) (DatasetResult, bool) {
	for _, d := range chk.Datasets {
		if r := results[d]; r.Status != DatasetOK {
			r.Dataset = d
			return r, true
		}
	}
	return DatasetResult{}, false
}

// unreadable explains, on an unknown check, why its data is missing.
func unreadable(def Definition, title string, r DatasetResult) string {
	if title == "" {
		title = r.Dataset
	}
	switch r.ErrorClass {
	case ErrorLicence:
		return title + " is not included in this " + def.Account + "'s licence or plan: " + r.Error
	case ErrorConfiguration:
		return title + " could not be read (permission or configuration): " + r.Error
	}
	if r.Error == "" {
		return title + " was not read this sync."
	}
	return title + " could not be read this sync: " + r.Error
}
