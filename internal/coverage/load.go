package coverage

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/connector"
)

var q = dbsqlc.New()

// Load reads an organization's coverage inputs inside tx (scoped to it): the
// controls in scope and every live connection's current check results with
// their freshness at now.
func Load(ctx context.Context, tx pgx.Tx, org dbsqlc.Organization, registry *connector.Registry, now time.Time) (Input, error) {
	settings := account.ParseSettings(org.Settings)
	defs := map[string]connector.Check{}
	for _, c := range registry.All() {
		for _, chk := range c.Checks() {
			defs[chk.Key] = chk
		}
	}
	rows, err := q.CheckCurrentForOrg(ctx, tx)
	if err != nil {
		return Input{}, fmt.Errorf("coverage: read check results: %w", err)
	}
	in := Input{Criteria: InScope(settings.Categories)}
	for _, r := range rows {
		def, ok := defs[r.CheckKey]
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
