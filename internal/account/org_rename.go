package account

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
)

// maxOrgName is the longest organization name, in characters (the column's
// check counts characters too).
const maxOrgName = 200

// RenameOrg changes the organization's display name (its slug, and so its
// links, stay), audited with the previous name.
func (s *Service) RenameOrg(ctx context.Context, orgID uuid.UUID, actor audit.Actor, rawName string) error {
	name, err := checkOrgName(rawName)
	if err != nil {
		return err
	}
	return db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		previous, err := q.OrgRename(ctx, tx, dbsqlc.OrgRenameParams{ID: orgID, Name: name})
		if err != nil {
			return fmt.Errorf("account: rename organization: %w", err)
		}
		if previous == name {
			return nil
		}
		return audit.Record(ctx, tx, orgID, s.Clock.Now(), actor, audit.Event{
			Action: "organization.rename", TargetType: "organization", TargetID: orgID.String(),
			Details: map[string]any{"name": name, "previous_name": previous},
		})
	})
}

// checkOrgName trims a typed name and requires 1 to 200 characters of
// printable text on one line.
func checkOrgName(raw string) (string, error) {
	name := strings.TrimSpace(raw)
	switch {
	case name == "":
		return "", &FieldError{Field: "name", Message: "Enter the organization's name."}
	case utf8.RuneCountInString(name) > maxOrgName:
		return "", &FieldError{Field: "name", Message: "The name can be at most 200 characters."}
	case strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }):
		return "", &FieldError{Field: "name", Message: "The name must be one line of text, without control characters."}
	}
	return name, nil
}
