package coverage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/connector"
)

// Snapshot records today's (UTC) coverage of the organization, replacing an
// earlier snapshot of the same day, and returns the report.
func Snapshot(ctx context.Context, tx pgx.Tx, org dbsqlc.Organization, registry *connector.Registry, now time.Time) (Report, error) {
	in, err := Load(ctx, tx, registry, now, OrgScope(org))
	if err != nil {
		return Report{}, err
	}
	r := Compute(in)
	controls := map[string]string{}
	for _, c := range r.Controls {
		controls[c.ID] = c.Status
	}
	raw, err := json.Marshal(controls)
	if err != nil {
		return r, err
	}
	day := now.UTC().Truncate(24 * time.Hour)
	if err := q.CoverageSnapshotUpsert(ctx, tx, dbsqlc.CoverageSnapshotUpsertParams{
		OrgID: org.ID, Day: day, InScope: int32(r.InScope), Passing: int32(r.Counts[Passing]), Failing: int32(r.Counts[Failing]),
		Stale: int32(r.Counts[StaleState]), Unknown: int32(r.Counts[Unknown]), NoEvidence: int32(r.Counts[NoEvidence]),
		Controls: raw, TakenAt: now,
	}); err != nil {
		return r, fmt.Errorf("coverage: snapshot: %w", err)
	}
	return r, nil
}
