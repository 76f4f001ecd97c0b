package db

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
)

// Membership is one of a user's organizations as OrgEntry lists it: the
// organization, the user's role, when their access ends and the assessment
// it is limited to, if any. Banner is set on the organization entered.
type Membership struct {
	Organization dbsqlc.Organization
	Role         string
	ExpiresAt    *time.Time
	AssessmentID *uuid.UUID
	Banner       *dbsqlc.OrgBannerRow
}

// OrgEntry lists userID's organizations by name and enters the one named by
// slug (or, when slug is empty, by orgID) if the user's membership to it is
// live at now: its Banner carries its open alerts and read version. One
// statement, one round trip: the org_entry function scopes itself to the
// user and then to that organization, as AsUser and ScopeToOrg would
// (db/migrations/00027_org_entry.sql).
func OrgEntry(ctx context.Context, b dbsqlc.DBTX, userID uuid.UUID, slug string, orgID uuid.UUID, now time.Time) ([]Membership, error) {
	if userID == uuid.Nil {
		return nil, fmt.Errorf("db: OrgEntry without a user")
	}
	var byID *uuid.UUID
	if orgID != uuid.Nil {
		byID = &orgID
	}
	rows, err := b.Query(ctx, `SELECT id, slug, name, settings, wrapped_data_key, created_at, role, expires_at, assessment_id, open_alerts, version
		FROM org_entry($1, $2, $3, $4)`, userID, slug, byID, now)
	if err != nil {
		return nil, fmt.Errorf("db: enter organization: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Membership, error) {
		var m Membership
		var alerts *int32
		var version *int64
		o := &m.Organization
		err := r.Scan(&o.ID, &o.Slug, &o.Name, &o.Settings, &o.WrappedDataKey, &o.CreatedAt, &m.Role, &m.ExpiresAt, &m.AssessmentID, &alerts, &version)
		if alerts != nil && version != nil {
			m.Banner = &dbsqlc.OrgBannerRow{OpenAlerts: *alerts, Version: *version}
		}
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("db: enter organization: %w", err)
	}
	return out, nil
}
