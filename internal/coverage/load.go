package coverage

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/connector"
)

var q = dbsqlc.New()

// OrgScope is the criteria an organization has in scope: Security and the
// optional categories its settings choose.
func OrgScope(org dbsqlc.Organization) []Criterion {
	return InScope(account.ParseSettings(org.Settings).Categories)
}

// Load reads the coverage inputs of criteria inside tx (scoped to one
// organization): the current results, on every live connection, of the
// checks that support them, with their freshness at now, the documents that
// support them, with whether each is current at now, and which of them the
// organization marked not applicable. Passing one
// criterion reads only its checks: Compute then gives it exactly the status
// it has among all of them, for a fraction of the rows.
func Load(ctx context.Context, tx pgx.Tx, registry *connector.Registry, now time.Time, criteria []Criterion) (Input, error) {
	keys := []string{}
	for _, c := range criteria {
		for _, k := range registry.ChecksFor(c.ID) {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	rows, err := q.CheckCurrentForOrg(ctx, tx, keys)
	if err != nil {
		return Input{}, fmt.Errorf("coverage: read check results: %w", err)
	}
	in := Input{Criteria: criteria, Checks: make([]CheckInput, 0, len(rows))}
	if in.NotApplicable, err = notApplicable(ctx, tx, criteria); err != nil {
		return Input{}, err
	}
	for _, r := range rows {
		def, ok := registry.Check(r.CheckKey)
		if !ok {
			continue
		}
		staleAfter := time.Duration(r.StaleAfterSeconds) * time.Second
		in.Checks = append(in.Checks, CheckInput{
			ConnectionID: r.ConnectionID, ConnectionName: r.ConnectionName, CheckKey: r.CheckKey, CheckTitle: def.Title,
			Criteria: def.Criteria, Status: r.Status, Reason: r.Reason, Failing: int(r.SubjectsFailing), Excluded: int(r.SubjectsExcluded),
			EvaluatedAt: r.EvaluatedAt, Fresh: FreshnessOf(r.LastSuccessAt, staleAfter, now) == Fresh, LastSuccess: r.LastSuccessAt,
		})
	}
	if in.Documents, err = loadDocuments(ctx, tx, now, criteria); err != nil {
		return Input{}, err
	}
	return in, nil
}

// notApplicable reads which of criteria the organization marked not
// applicable.
func notApplicable(ctx context.Context, tx pgx.Tx, criteria []Criterion) (map[string]Exemption, error) {
	rows, err := q.ScopeNotApplicableList(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("coverage: read scope: %w", err)
	}
	out := make(map[string]Exemption, len(rows))
	for _, r := range rows {
		if slices.ContainsFunc(criteria, func(c Criterion) bool { return c.ID == r.Criterion }) {
			out[r.Criterion] = Exemption{Justification: r.Justification, MarkedBy: r.MarkedByEmail, MarkedAt: r.MarkedAt}
		}
	}
	return out, nil
}
