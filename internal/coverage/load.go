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
// organization) and judges them at now: see ReadSource and Source.Input.
// Passing one criterion reads only its checks: Compute then gives it exactly
// the status it has among all of them, for a fraction of the rows.
func Load(ctx context.Context, tx pgx.Tx, registry *connector.Registry, now time.Time, criteria []Criterion) (Input, error) {
	src, err := ReadSource(ctx, tx, registry, criteria)
	if err != nil {
		return Input{}, err
	}
	return src.Input(registry, now, criteria), nil
}

// Source is what coverage is computed from, as stored: the current results,
// on every live connection, of the checks that support some criteria, the
// documents that support them and which of them are marked not applicable.
// Nothing in it depends on the time it was read, so it can be kept while the
// organization's data is unchanged and judged at any later time (Input).
type Source struct {
	Checks    []dbsqlc.CheckCurrentForOrgRow
	Documents []dbsqlc.DocumentCoverageRow
	Scope     []dbsqlc.ScopeNotApplicableListRow
}

// ReadSource reads the coverage source of criteria inside tx (scoped to one
// organization); nil criteria reads it for the whole catalog.
func ReadSource(ctx context.Context, tx pgx.Tx, registry *connector.Registry, criteria []Criterion) (Source, error) {
	var keys []string // nil reads every check's results
	ids := make([]string, 0, len(Catalog))
	if criteria == nil {
		for _, c := range Catalog {
			ids = append(ids, c.ID)
		}
	} else {
		keys = []string{}
		for _, c := range criteria {
			ids = append(ids, c.ID)
			for _, k := range registry.ChecksFor(c.ID) {
				if !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
		}
	}
	var src Source
	var err error
	if src.Checks, err = q.CheckCurrentForOrg(ctx, tx, keys); err != nil {
		return Source{}, fmt.Errorf("coverage: read check results: %w", err)
	}
	if src.Scope, err = q.ScopeNotApplicableList(ctx, tx); err != nil {
		return Source{}, fmt.Errorf("coverage: read scope: %w", err)
	}
	if src.Documents, err = q.DocumentCoverage(ctx, tx, ids); err != nil {
		return Source{}, fmt.Errorf("coverage: read documents: %w", err)
	}
	return src, nil
}

// Input judges the source at now for criteria, which must be among those it
// was read for: each check's freshness against its connection's stale
// threshold and each document's review date.
func (s Source) Input(registry *connector.Registry, now time.Time, criteria []Criterion) Input {
	in := Input{Criteria: criteria, Checks: make([]CheckInput, 0, len(s.Checks)), NotApplicable: make(map[string]Exemption, len(s.Scope)),
		Documents: make([]DocumentInput, 0, len(s.Documents))}
	for _, r := range s.Scope {
		if slices.ContainsFunc(criteria, func(c Criterion) bool { return c.ID == r.Criterion }) {
			in.NotApplicable[r.Criterion] = Exemption{Justification: r.Justification, MarkedBy: r.MarkedByEmail, MarkedAt: r.MarkedAt}
		}
	}
	for _, r := range s.Checks {
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
	for _, r := range s.Documents {
		latest := r.LatestRevisionAt
		in.Documents = append(in.Documents, DocumentInput{DocumentID: r.ID, Title: r.Title, Criteria: r.Criteria, ReviewDue: r.NextReviewOn,
			LatestRevisionAt: &latest, Current: DocumentCurrent(r.NextReviewOn, now)})
	}
	return in
}
