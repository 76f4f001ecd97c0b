package account

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
)

// DefaultRetentionDays is how long a revoked connection's evidence is kept.
const DefaultRetentionDays = 400

// Settings are an organization's choices.
type Settings struct {
	// Categories are the optional Trust Services categories in scope (A, C,
	// PI, P); Security is always in scope.
	Categories []string `json:"categories"`
	// RetentionDays keeps a revoked connection's evidence this long.
	RetentionDays int `json:"retention_days"`
}

// OptionalCategories are the categories an organization may add.
var OptionalCategories = []string{"A", "C", "PI", "P"}

// ParseSettings reads stored settings, filling defaults.
func ParseSettings(raw json.RawMessage) Settings {
	var s Settings
	_ = json.Unmarshal(raw, &s)
	if s.RetentionDays <= 0 {
		s.RetentionDays = DefaultRetentionDays
	}
	s.Categories = slices.DeleteFunc(s.Categories, func(c string) bool { return !slices.Contains(OptionalCategories, c) })
	return s
}

// Validate checks settings before they are stored.
func (s Settings) Validate() error {
	for _, c := range s.Categories {
		if !slices.Contains(OptionalCategories, c) {
			return fmt.Errorf("%q is not an optional Trust Services category", c)
		}
	}
	if s.RetentionDays < 90 || s.RetentionDays > 3650 {
		return fmt.Errorf("retention must be 90 to 3,650 days")
	}
	return nil
}

// UpdateSettings stores an organization's settings and audits the change.
func (s *Service) UpdateSettings(ctx context.Context, orgID uuid.UUID, actor audit.Actor, next Settings) error {
	if err := next.Validate(); err != nil {
		return err
	}
	raw, err := json.Marshal(next)
	if err != nil {
		return err
	}
	return db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		org, err := q.OrgGet(ctx, tx, orgID)
		if err != nil {
			return fmt.Errorf("account: read settings: %w", err)
		}
		prev := ParseSettings(org.Settings)
		if err := q.OrgSetSettings(ctx, tx, dbsqlc.OrgSetSettingsParams{ID: orgID, Settings: raw}); err != nil {
			return fmt.Errorf("account: store settings: %w", err)
		}
		return audit.Record(ctx, tx, orgID, s.Clock.Now(), actor, audit.Event{
			Action: "organization.settings", TargetType: "organization", TargetID: orgID.String(),
			Details: map[string]any{"categories": next.Categories, "retention_days": next.RetentionDays,
				"previous_categories": prev.Categories, "previous_retention_days": prev.RetentionDays},
		})
	})
}
