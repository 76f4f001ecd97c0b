package account

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
)

// ActionPasswordSet is the audit action of every password set or change.
const ActionPasswordSet = "user.password_set"

// recordPasswordSet writes an ActionPasswordSet row for user to the log of
// each organization in orgs, inside tx, saying how the password was set
// (via). Users are global and logs are per organization, so a password that
// opens several organizations is recorded in each. The transaction is scoped
// to each organization in turn and left scoped to back (uuid.Nil: none).
func recordPasswordSet(ctx context.Context, tx pgx.Tx, orgs []uuid.UUID, back uuid.UUID, at time.Time, actor audit.Actor, user dbsqlc.User, via string) error {
	for _, org := range orgs {
		if err := db.ScopeToOrg(ctx, tx, org); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, org, at, actor, audit.Event{
			Action: ActionPasswordSet, TargetType: "user", TargetID: user.ID.String(),
			Details: map[string]any{"email": user.Email, "via": via},
		}); err != nil {
			return err
		}
	}
	return db.ScopeToOrg(ctx, tx, back)
}

// memberOrgs lists every organization the user belongs to (revoked
// memberships aside, expired ones included), whatever tx is scoped to.
func memberOrgs(ctx context.Context, tx pgx.Tx, userID uuid.UUID) ([]uuid.UUID, error) {
	if err := db.ScopeToUser(ctx, tx, userID); err != nil {
		return nil, err
	}
	rows, err := q.MembershipListForUser(ctx, tx, userID)
	if err != nil {
		return nil, fmt.Errorf("account: list memberships: %w", err)
	}
	orgs := make([]uuid.UUID, len(rows))
	for i, m := range rows {
		orgs[i] = m.OrgID
	}
	return orgs, db.ScopeToUser(ctx, tx, uuid.Nil)
}
