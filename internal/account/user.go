package account

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/auth"
)

// NormalizeEmail trims and lower-cases an address and checks its shape.
func NormalizeEmail(raw string) (string, error) {
	email := strings.ToLower(strings.TrimSpace(raw))
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || len(email) > 254 {
		return "", fmt.Errorf("%q is not a valid email address", raw)
	}
	return email, nil
}

// Member describes a user to create (or find) and the membership to grant.
type Member struct {
	Email       string
	DisplayName string
	// Password becomes the user's password. It is required: no account is
	// ever created, or given a membership, without one.
	Password string
	Role     string
	// ExpiresAt ends an auditor's access.
	ExpiresAt *time.Time
}

// ErrPasswordRequired refuses to add a member without a password.
var ErrPasswordRequired = errors.New("account: a password is required")

// AddMember finds or creates the user by email, sets the password, and
// grants the membership in org, auditing both: the membership in org, the
// password set in every organization the user belongs to (it opens them
// all).
func (s *Service) AddMember(ctx context.Context, hasher *auth.Hasher, orgID uuid.UUID, m Member, actor audit.Actor) (dbsqlc.User, error) {
	email, err := NormalizeEmail(m.Email)
	if err != nil {
		return dbsqlc.User{}, fmt.Errorf("account: %w", err)
	}
	role, err := ParseRole(m.Role)
	if err != nil {
		return dbsqlc.User{}, fmt.Errorf("account: %w", err)
	}
	if role != RoleAuditor && m.ExpiresAt != nil {
		return dbsqlc.User{}, fmt.Errorf("account: only auditor access can expire")
	}
	if m.Password == "" {
		return dbsqlc.User{}, ErrPasswordRequired
	}
	if err := auth.ValidatePassword(m.Password, email); err != nil {
		return dbsqlc.User{}, fmt.Errorf("account: %w", err)
	}
	hash, err := hasher.Hash(m.Password)
	if err != nil {
		return dbsqlc.User{}, err
	}
	now := s.Clock.Now()
	var user dbsqlc.User
	err = db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		created := false
		user, err = q.UserGetByEmail(ctx, tx, email)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			user, err = q.UserCreate(ctx, tx, dbsqlc.UserCreateParams{
				Email: email, DisplayName: strings.TrimSpace(m.DisplayName), PasswordHash: &hash, PasswordChangedAt: &now,
			})
			if err != nil {
				return fmt.Errorf("account: create user: %w", err)
			}
			created = true
		case err != nil:
			return fmt.Errorf("account: find user: %w", err)
		default:
			if err := q.UserSetPassword(ctx, tx, dbsqlc.UserSetPasswordParams{ID: user.ID, PasswordHash: &hash, ChangedAt: &now}); err != nil {
				return fmt.Errorf("account: set password: %w", err)
			}
		}
		if _, err := q.MembershipUpsert(ctx, tx, dbsqlc.MembershipUpsertParams{
			OrgID: orgID, UserID: user.ID, Role: role, ExpiresAt: m.ExpiresAt, CreatedBy: actor.ID, CreatedAt: now,
		}); err != nil {
			return fmt.Errorf("account: grant membership: %w", err)
		}
		details := map[string]any{"email": email, "role": role, "new_user": created, "password_set": true}
		if m.ExpiresAt != nil {
			details["expires_at"] = m.ExpiresAt.UTC().Format(time.RFC3339)
		}
		if err := audit.Record(ctx, tx, orgID, now, actor, audit.Event{
			Action: "member.add", TargetType: "user", TargetID: user.ID.String(), Details: details,
		}); err != nil {
			return err
		}
		orgs, err := memberOrgs(ctx, tx, user.ID)
		if err != nil {
			return err
		}
		return recordPasswordSet(ctx, tx, orgs, orgID, now, actor, user, "member add")
	})
	return user, err
}
