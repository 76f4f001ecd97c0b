package web

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/views/components"
)

// firstEvidence is when the organization's first evidence was collected,
// nil before any.
func firstEvidence(ctx context.Context, tx pgx.Tx) (*time.Time, error) {
	t, err := q.EvidenceFirstCollected(ctx, tx)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("web: first evidence: %w", err)
	}
	return &t, nil
}

// defaultPeriod is a new assessment's period as form dates: up to today,
// from the day of the first evidence, or a year back when there is none or
// it is older.
func defaultPeriod(now time.Time, first *time.Time) (start, end string) {
	today := now.UTC().Truncate(24 * time.Hour)
	from := today.AddDate(-1, 0, 1)
	if first != nil && first.After(from) {
		from = first.UTC().Truncate(24 * time.Hour)
	}
	return components.ISODate(from), components.ISODate(today)
}

// periodWarning says when a period starting on start begins before any
// evidence exists, so those days are empty.
func (s *Server) periodWarning(c echo.Context, start time.Time) (string, error) {
	ctx := c.Request().Context()
	var first *time.Time
	err := db.InOrg(ctx, s.Pool, currentOrg(c).ID, func(tx pgx.Tx) error {
		var err error
		first, err = firstEvidence(ctx, tx)
		return err
	})
	switch {
	case err != nil:
		return "", err
	case first == nil:
		return "No evidence has been collected yet, so nothing is attached: connect an integration, then attach new evidence from the period.", nil
	case start.Before(first.UTC().Truncate(24 * time.Hour)):
		return "The period starts on " + components.Day(start) + ", before the first evidence (" + components.Day(*first) +
			"): attest holds nothing for the days before it.", nil
	}
	return "", nil
}
