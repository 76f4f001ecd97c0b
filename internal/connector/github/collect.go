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
func allPages[T any](ctx context.Context, c *client, route, first string) ([]T, error) {
	var out []T
	for next := first; next != ""; {
		var page []T
		var err error
		if next, err = c.getJSON(ctx, route, next, &page); err != nil {
			return nil, err
		}
		out = append(out, page...)
	}
	return out, nil
}
