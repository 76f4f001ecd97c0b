package account

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
)

// ErrLastOwner refuses to demote or remove an organization's last owner: an
// organization always keeps one. The service checks it holding the owners'
// row locks; the database refuses it too (trigger memberships_keep_an_owner).
var ErrLastOwner = errors.New("account: the organization's last owner can be neither demoted nor removed")

// InviteMember asks email to join the organization as an owner or admin,
// with the same single-use, expiring link as an auditor's invitation and
// the same acceptance rules. It replaces the email's pending invitations;
// a live owner or admin cannot be invited (change their role instead).
func (s *Service) InviteMember(ctx context.Context, orgID uuid.UUID, actor audit.Actor, rawEmail, role string) (Invited, error) {
	email, err := invitedEmail(rawEmail)
	if err != nil {
		return Invited{}, err
	}
	if err := checkMemberRole(role); err != nil {
		return Invited{}, err
	}
	return s.invite(ctx, orgID, actor, email, terms{Role: role})
}

// SetMemberRole makes a live owner or admin an owner or an admin, audited.
// The last owner cannot be made an admin.
func (s *Service) SetMemberRole(ctx context.Context, orgID uuid.UUID, actor audit.Actor, userID uuid.UUID, role string) error {
	if err := checkMemberRole(role); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.changeMember(ctx, orgID, userID, role != RoleOwner, func(tx pgx.Tx, user dbsqlc.User) error {
		previous, err := q.MemberSetRole(ctx, tx, dbsqlc.MemberSetRoleParams{OrgID: orgID, UserID: userID, Role: role})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("account: set role: %w", err)
		}
		if previous == role {
			return nil
		}
		return audit.Record(ctx, tx, orgID, now, actor, audit.Event{
			Action: "member.role_change", TargetType: "user", TargetID: userID.String(),
			Details: map[string]any{"email": user.Email, "role": role, "previous_role": previous},
		})
	})
}

// RemoveMember ends a live owner's or admin's membership at once (the row is
// kept, marked revoked: their sessions lose the organization on their next
// request) and withdraws their pending invitations, audited. The last owner
// cannot be removed.
func (s *Service) RemoveMember(ctx context.Context, orgID uuid.UUID, actor audit.Actor, userID uuid.UUID) error {
	now := s.Clock.Now()
	return s.changeMember(ctx, orgID, userID, true, func(tx pgx.Tx, user dbsqlc.User) error {
		role, err := q.MemberRemove(ctx, tx, dbsqlc.MemberRemoveParams{OrgID: orgID, UserID: userID, Now: &now})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("account: remove member: %w", err)
		}
		withdrawn, err := q.InvitationRevokePendingForEmail(ctx, tx, dbsqlc.InvitationRevokePendingForEmailParams{Email: user.Email, Now: &now})
		if err != nil {
			return fmt.Errorf("account: remove member: withdraw invitations: %w", err)
		}
		details := map[string]any{"email": user.Email, "role": role}
		if len(withdrawn) > 0 {
			details["withdrawn_invitations"] = withdrawn
		}
		return audit.Record(ctx, tx, orgID, now, actor, audit.Event{
			Action: "member.remove", TargetType: "user", TargetID: userID.String(), Details: details,
		})
	})
}

// changeMember runs change in the organization's transaction holding the
// row locks of its live owners, so concurrent changes to owners take turns
// and each sees the owners the one before it left. When ending would take
// away the user's ownership and they are the last owner, it refuses with
// ErrLastOwner before change runs; the database's own refusal maps to the
// same error.
func (s *Service) changeMember(ctx context.Context, orgID, userID uuid.UUID, ending bool, change func(pgx.Tx, dbsqlc.User) error) error {
	err := db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		owners, err := q.MemberOwnersForUpdate(ctx, tx, orgID)
		if err != nil {
			return fmt.Errorf("account: lock owners: %w", err)
		}
		if ending && len(owners) == 1 && owners[0] == userID {
			return ErrLastOwner
		}
		user, err := q.UserGet(ctx, tx, userID)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("account: read member: %w", err)
		}
		return change(tx, user)
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.ConstraintName == "memberships_last_owner" {
		return ErrLastOwner
	}
	return err
}

// checkMemberRole accepts the roles a member can be invited to or given.
func checkMemberRole(role string) error {
	if !slices.Contains([]string{RoleOwner, RoleAdmin}, role) {
		return &FieldError{Field: "role", Message: "Choose owner or admin."}
	}
	return nil
}
