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

// Load reads an organization's coverage inputs inside tx (scoped to it): the
// controls in scope and every live connection's current check results with
// their freshness at now. With only set, it reads just that control and the
// checks that support it: Compute then gives that control exactly the status
// it has among all of them, for a fraction of the rows.
func Load(ctx context.Context, tx pgx.Tx, org dbsqlc.Organization, registry *connector.Registry, now time.Time, only string) (Input, error) {
	settings := account.ParseSettings(org.Settings)
	criteria := InScope(settings.Categories)
	var keys []string
	if only != "" {
		criteria = slices.DeleteFunc(criteria, func(c Criterion) bool { return c.ID != only })
		keys = registry.ChecksFor(only)
		if keys == nil {
			keys = []string{}
		}
	}
	rows, err := q.CheckCurrentForOrg(ctx, tx, keys)
	if err != nil {
		return Input{}, fmt.Errorf("coverage: read check results: %w", err)
	}
	in := Input{Criteria: criteria, Checks: make([]CheckInput, 0, len(rows))}
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
	return in, nil
}
