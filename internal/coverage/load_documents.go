package coverage

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// DocumentCurrent reports whether a document due for review on reviewDue
// still counts at now: through the whole of its review day (UTC), and not
// after it. Past it, the document has lapsed, which makes the criteria it
// supports stale exactly like a connection that stopped syncing.
func DocumentCurrent(reviewDue, now time.Time) bool {
	return !now.UTC().Truncate(24 * time.Hour).After(reviewDue.UTC().Truncate(24 * time.Hour))
}

// loadDocuments reads the live documents supporting criteria, with whether
// each is current at now.
func loadDocuments(ctx context.Context, tx pgx.Tx, now time.Time, criteria []Criterion) ([]DocumentInput, error) {
	ids := make([]string, len(criteria))
	for i, c := range criteria {
		ids[i] = c.ID
	}
	rows, err := q.DocumentCoverage(ctx, tx, ids)
	if err != nil {
		return nil, fmt.Errorf("coverage: read documents: %w", err)
	}
	out := make([]DocumentInput, len(rows))
	for i, r := range rows {
		latest := r.LatestRevisionAt
		out[i] = DocumentInput{DocumentID: r.ID, Title: r.Title, Criteria: r.Criteria, ReviewDue: r.NextReviewOn,
			LatestRevisionAt: &latest, Current: DocumentCurrent(r.NextReviewOn, now)}
	}
	return out, nil
}
