package account

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/auth"
)

// OperatorGrant is what MakeOperator did.
type OperatorGrant struct {
	User dbsqlc.User
	// NewUser says the account was created; Already that it was an operator
	// before.
	NewUser, Already bool
}

// MakeOperator finds or creates the user by email, sets the password when
// one is given (a new user needs one; a changed password is audited in every
// organization the account belongs to), and marks the user a platform
// operator: an account that runs attest itself, apart from any
// organization's roles. It runs in one transaction on the schema owner's
// connection (ownerURL), because the application role may only read the
// operators table: nothing the web application does can make an operator.
func (s *Service) MakeOperator(ctx context.Context, ownerURL string, hasher *auth.Hasher, rawEmail, password string) (OperatorGrant, error) {
	email, err := NormalizeEmail(rawEmail)
	if err != nil {
		return OperatorGrant{}, fmt.Errorf("account: %w", err)
	}
	var hash *string
	if password != "" {
		if err := auth.ValidatePassword(password, email); err != nil {
			return OperatorGrant{}, fmt.Errorf("account: %w", err)
		}
		h, err := hasher.Hash(password)
		if err != nil {
			return OperatorGrant{}, err
		}
		hash = &h
	}
	now := s.Clock.Now()
	var g OperatorGrant
	err = db.AsOwner(ctx, ownerURL, func(tx pgx.Tx) error {
		g.User, err = q.UserGetByEmail(ctx, tx, email)
		switch {
		case errors.Is(err, pgx.ErrNoRows) && hash == nil:
			return fmt.Errorf("account: %s has no account yet: give the new operator a password", email)
		case errors.Is(err, pgx.ErrNoRows):
			g.NewUser = true
			if g.User, err = q.UserCreate(ctx, tx, dbsqlc.UserCreateParams{Email: email, PasswordHash: hash, PasswordChangedAt: &now}); err != nil {
				return fmt.Errorf("account: create user: %w", err)
			}
		case err != nil:
			return fmt.Errorf("account: find user: %w", err)
		case hash != nil:
			if err := q.UserSetPassword(ctx, tx, dbsqlc.UserSetPasswordParams{ID: g.User.ID, PasswordHash: hash, ChangedAt: &now}); err != nil {
				return fmt.Errorf("account: set password: %w", err)
			}
			// A new operator belongs to no organization yet; an existing
			// account's new password is recorded wherever it opens.
			orgs, err := memberOrgs(ctx, tx, g.User.ID)
			if err != nil {
				return err
			}
			if err := recordPasswordSet(ctx, tx, orgs, uuid.Nil, now, audit.SystemActor("operator command"), g.User, "operator add"); err != nil {
				return err
			}
		case !hasPassword(g.User):
			return fmt.Errorf("account: %s has no password yet: give the operator one", email)
		}
		added, err := q.OperatorAdd(ctx, tx, dbsqlc.OperatorAddParams{UserID: g.User.ID, CreatedAt: now})
		if err != nil {
			return fmt.Errorf("account: mark operator: %w", err)
		}
		g.Already = added == 0
		return nil
	})
	return g, err
}
