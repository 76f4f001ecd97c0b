package assessment

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/coverage"
)

// Exemption is a criterion of an assessment's scope marked not applicable.
type Exemption struct {
	Criterion string
	coverage.Exemption
}

// recordScope stores, in the approval transaction, the criteria of the
// assessment's scope marked not applicable now; it returns their ids.
func recordScope(ctx context.Context, tx pgx.Tx, a dbsqlc.Assessment) ([]string, error) {
	ids := criterionIDs(a)
	if _, err := q.AssessmentScopeRecord(ctx, tx, dbsqlc.AssessmentScopeRecordParams{AssessmentID: a.ID, Criteria: ids}); err != nil {
		return nil, fmt.Errorf("assessment: record scope: %w", err)
	}
	out, err := NotApplicable(ctx, tx, a)
	if err != nil {
		return nil, err
	}
	marked := make([]string, len(out))
	for i, x := range out {
		marked[i] = x.Criterion
	}
	return marked, nil
}

// NotApplicable lists the criteria of the assessment's scope marked not
// applicable: as recorded at approval once it is approved, the
// organization's current statement of applicability before.
func NotApplicable(ctx context.Context, tx pgx.Tx, a dbsqlc.Assessment) ([]Exemption, error) {
	var rows []dbsqlc.ScopeNotApplicableListRow
	if StatusOf(a) == StatusApproved {
		recorded, err := q.AssessmentScopeList(ctx, tx, a.ID)
		if err != nil {
			return nil, fmt.Errorf("assessment: read recorded scope: %w", err)
		}
		for _, r := range recorded {
			rows = append(rows, dbsqlc.ScopeNotApplicableListRow(r))
		}
	} else {
		var err error
		if rows, err = q.ScopeNotApplicableList(ctx, tx); err != nil {
			return nil, fmt.Errorf("assessment: read scope: %w", err)
		}
	}
	ids := criterionIDs(a)
	var out []Exemption
	for _, r := range rows {
		if slices.Contains(ids, r.Criterion) {
			out = append(out, Exemption{Criterion: r.Criterion, Exemption: coverage.Exemption{Justification: r.Justification, MarkedBy: r.MarkedByEmail, MarkedAt: r.MarkedAt}})
		}
	}
	return out, nil
}

func criterionIDs(a dbsqlc.Assessment) []string {
	var ids []string
	for _, c := range Scope(a) {
		ids = append(ids, c.ID)
	}
	return ids
}
