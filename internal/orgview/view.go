package orgview

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/internal/scope"
)

var q = dbsqlc.New()

// Sizes of what a view keeps.
const (
	// ChartDays is how many days of coverage snapshots a view holds.
	ChartDays = 90
	// MaxAlerts bounds the open alerts a view holds, newest first.
	MaxAlerts = 200
)

// View is what an organization's dashboard and control pages are built
// from, as read at one version of its data.
type View struct {
	// Version is the organization's read version the view was read at.
	Version int64
	// Day is the UTC day whose chart window the snapshots cover.
	Day time.Time
	// Coverage is the coverage source of the whole catalog.
	Coverage    coverage.Source
	Connections []dbsqlc.ConnectionHealthListRow
	// Alerts are the open alerts, newest first, at most MaxAlerts.
	Alerts    []dbsqlc.AlertsListRow
	Documents []dbsqlc.DocumentListRow
	// Snapshots are the daily coverage snapshots of the ChartDays before
	// Day and of Day itself, oldest first.
	Snapshots  []Snapshot
	Owners     map[string]scope.Owner
	Candidates []scope.Owner
	// exclusions are the unrevoked exclusions of live connections, expired
	// ones included: ActiveExclusions judges them at a time.
	exclusions []dbsqlc.CheckExclusion

	mu      sync.Mutex
	derived map[string]derived
}

// Snapshot is one day's recorded coverage.
type Snapshot struct {
	Day     time.Time
	InScope int
	Passing int
	// Controls is each control's status that day, by criterion.
	Controls map[string]string
}

// ActiveExclusions are the exclusions in force at now, by check and subject.
func (v *View) ActiveExclusions(now time.Time) []dbsqlc.CheckExclusion {
	out := make([]dbsqlc.CheckExclusion, 0, len(v.exclusions))
	for _, x := range v.exclusions {
		if x.ExpiresAt.After(now) {
			out = append(out, x)
		}
	}
	return out
}

// Read reads an organization's view inside tx, which must be scoped to it
// and see one snapshot (db.ReadInOrg), for the pages of day (UTC).
func Read(ctx context.Context, tx pgx.Tx, registry *connector.Registry, orgID uuid.UUID, day time.Time) (*View, error) {
	v := &View{Day: day}
	banner, err := q.OrgBanner(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("orgview: read version: %w", err)
	}
	v.Version = banner.Version
	if v.Coverage, err = coverage.ReadSource(ctx, tx, registry, nil); err != nil {
		return nil, err
	}
	if v.Connections, err = q.ConnectionHealthList(ctx, tx); err != nil {
		return nil, fmt.Errorf("orgview: read connections: %w", err)
	}
	// Resolved alerts are never in the future: this reads the open ones.
	if v.Alerts, err = q.AlertsList(ctx, tx, dbsqlc.AlertsListParams{ResolvedSince: infinity, MaxRows: MaxAlerts}); err != nil {
		return nil, fmt.Errorf("orgview: read alerts: %w", err)
	}
	if v.Documents, err = q.DocumentList(ctx, tx, nil); err != nil {
		return nil, fmt.Errorf("orgview: read documents: %w", err)
	}
	if v.Snapshots, err = readSnapshots(ctx, tx, day.AddDate(0, 0, -ChartDays)); err != nil {
		return nil, err
	}
	if v.Owners, err = scope.Owners(ctx, tx); err != nil {
		return nil, err
	}
	if v.Candidates, err = scope.Candidates(ctx, tx, orgID); err != nil {
		return nil, err
	}
	if v.exclusions, err = q.CheckExclusionsActiveForOrg(ctx, tx, time.Time{}); err != nil {
		return nil, fmt.Errorf("orgview: read exclusions: %w", err)
	}
	return v, nil
}

// infinity is later than any time a row records.
var infinity = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

func readSnapshots(ctx context.Context, tx pgx.Tx, since time.Time) ([]Snapshot, error) {
	rows, err := q.CoverageSnapshotsSince(ctx, tx, since)
	if err != nil {
		return nil, fmt.Errorf("orgview: read snapshots: %w", err)
	}
	out := make([]Snapshot, len(rows))
	for i, r := range rows {
		out[i] = Snapshot{Day: r.Day, InScope: int(r.InScope), Passing: int(r.Passing)}
		if err := json.Unmarshal(r.Controls, &out[i].Controls); err != nil {
			return nil, fmt.Errorf("orgview: snapshot of %s: %w", r.Day.Format(time.DateOnly), err)
		}
	}
	return out, nil
}
