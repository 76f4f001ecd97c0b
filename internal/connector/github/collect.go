package github

import (
	"context"
	"errors"
	"fmt"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/pgtext"
)

// Snapshot is what one sync read, typed: the checks are evaluated on it, so
// they see exactly the data the sync stored.
type Snapshot struct {
	Org          *OrgSettings
	Members      []Member
	Repositories []Repository
	// RepositorySelection is the installation's ("selected": partial).
	RepositorySelection string
	Outside             []OutsideCollaborator
	Rules               []BranchRules
	Alerts              []DependabotAlert
	// Results are the datasets' outcomes by key.
	Results map[string]connector.DatasetResult
}

// CollectRequest is what a sync gives the collectors.
type CollectRequest struct {
	// Writer returns the writer of one dataset.
	Writer func(dataset string) connector.DatasetWriter
	// Params are the checks' parameters (max_open_days shapes the alert
	// summary).
	Params map[string]int
	Now    time.Time
}

// collector reads one dataset into the snapshot and returns its records.
type collector func(ctx context.Context, s *Session, snap *Snapshot, req CollectRequest) ([]connector.Record, error)

var collectors = map[string]collector{
	DatasetOrgSettings:          collectOrgSettings,
	DatasetMembers:              collectMembers,
	DatasetRepositories:         collectRepositories,
	DatasetOutsideCollaborators: collectOutsideCollaborators,
	DatasetBranchRules:          collectBranchRules,
	DatasetDependabotAlerts:     collectAlerts,
}

// Collect reads every dataset, one after another, writing each through its
// writer. A dataset that fails is reported in its result; after a failure
// that needs re-authorization the remaining datasets are not tried.
func (s *Session) Collect(ctx context.Context, req CollectRequest) Snapshot {
	snap := Snapshot{Results: map[string]connector.DatasetResult{}}
	var stop error
	for _, d := range datasets {
		if stop != nil {
			snap.Results[d.Key] = connector.DatasetResult{Dataset: d.Key, Status: connector.DatasetFailed,
				ErrorClass: Class(stop), Error: "not read: " + stop.Error()}
			continue
		}
		before := s.api.Stats()
		recs, err := collectors[d.Key](ctx, s, &snap, req)
		if err == nil {
			err = write(ctx, req.Writer(d.Key), recs)
		}
		after := s.api.Stats()
		r := connector.DatasetResult{Dataset: d.Key, Status: connector.DatasetOK, Fetched: len(recs),
			Requests: after.Requests - before.Requests, Throttled: after.Throttled - before.Throttled, Retries: after.Retries - before.Retries}
		if err != nil {
			r.Status, r.ErrorClass, r.Error, r.Fetched = connector.DatasetFailed, Class(err), err.Error(), 0
			if r.ErrorClass == connector.ErrorConfiguration || r.ErrorClass == connector.ErrorLicence {
				r.Status = connector.DatasetUnavailable
			}
			if r.ErrorClass == connector.ErrorNeedsReauth || ctx.Err() != nil {
				stop = err
			}
		}
		snap.Results[d.Key] = r
	}
	return snap
}

// write hands a dataset's records to its writer and finishes it.
func write(ctx context.Context, w connector.DatasetWriter, recs []connector.Record) error {
	if err := w.Put(ctx, recs); err != nil {
		return fmt.Errorf("github: write: %w", err)
	}
	if err := w.Finish(ctx); err != nil {
		return fmt.Errorf("github: finish: %w", err)
	}
	return nil
}

var errMissingSubject = errors.New("github: a record has no subject")

// record encodes one evidence record of kind, with the kind's schema
// version from the definition.
func record(kind, subject, label string, observed time.Time, v any) (connector.Record, error) {
	if subject == "" {
		return connector.Record{}, errMissingSubject
	}
	k, ok := definition.Kind(kind)
	if !ok {
		return connector.Record{}, fmt.Errorf("github: undeclared evidence kind %q", kind)
	}
	b, err := jsonv2.Marshal(v)
	if err != nil {
		return connector.Record{}, fmt.Errorf("github: encode %s: %w", kind, err)
	}
	return connector.Record{Kind: kind, SchemaVersion: k.SchemaVersion, SubjectKey: pgtext.Clean(subject), SubjectLabel: pgtext.Clean(label),
		ObservedAt: observed, Payload: b}, nil
}

// records is a list being built; the first error sticks.
type records struct {
	list []connector.Record
	err  error
}

func (rs *records) add(kind, subject, label string, observed time.Time, v any) {
	if rs.err != nil {
		return
	}
	r, err := record(kind, subject, label, observed, v)
	rs.list, rs.err = append(rs.list, r), err
}

func (rs *records) result() ([]connector.Record, error) {
	if rs.err != nil {
		return nil, rs.err
	}
	return rs.list, nil
}

// allPages GETs first and every rel="next" page after it, verbatim.
func allPages[T any](ctx context.Context, c *client, first string) ([]T, error) {
	var out []T
	for next := first; next != ""; {
		var page []T
		var err error
		if next, err = c.getJSON(ctx, next, &page); err != nil {
			return nil, err
		}
		out = append(out, page...)
	}
	return out, nil
}

// day formats t as a date; nil is empty.
func day(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// stamp formats t to the second in UTC; nil is empty.
func stamp(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}
