package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/auth"
)

// InvalidInvitationError means an invitation link cannot be used. Reason
// (unknown, used, revoked, link expired, access ended) is for the log only:
// the person is told the same thing whatever it is.
type InvalidInvitationError struct {
	Reason       string
	InvitationID uuid.UUID
}

func (e *InvalidInvitationError) Error() string {
	return "account: invitation link is no longer valid: " + e.Reason
}

// OpenInvitation is what the accept page shows about a usable invitation.
type OpenInvitation struct {
	ID              uuid.UUID
	OrgName         string
	OrgSlug         string
	Email           string
	AccessExpiresAt time.Time
	// Assessment names the assessment the auditor will be limited to.
	Assessment string
	// HasPassword means the email already has an account with a password
	// (an auditor of another organization): the person proves it is theirs
	// instead of choosing a new password.
	HasPassword bool
}

// Acceptance is how the invited person proves who they are: a new password,
// twice, for a new account; or, for an account that already has a password,
// that account's id once the caller has checked the password
// (auth.Service.Authenticate, under the sign-in throttle).
type Acceptance struct {
	NewPassword string
	Confirm     string
	VerifiedID  uuid.UUID
}

// Accepted is the outcome of an acceptance.
type Accepted struct {
	User    dbsqlc.User
	OrgSlug string
}

// Invitation reads a usable invitation by its link secret.
func (s *Service) Invitation(ctx context.Context, orgID uuid.UUID, token string) (OpenInvitation, error) {
	var out OpenInvitation
	err := s.withInvitation(ctx, orgID, token, func(tx pgx.Tx, inv dbsqlc.Invitation, org dbsqlc.Organization) error {
		out = OpenInvitation{ID: inv.ID, OrgName: org.Name, OrgSlug: org.Slug, Email: inv.Email, AccessExpiresAt: inv.AccessExpiresAt}
		if inv.AssessmentID != nil {
			name, err := q.InvitationAssessmentName(ctx, tx, *inv.AssessmentID)
			if err != nil {
				return fmt.Errorf("account: invitation: read assessment: %w", err)
			}
			out.Assessment = name
		}
		user, err := q.UserGetByEmail(ctx, tx, inv.Email)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return fmt.Errorf("account: invitation: find user: %w", err)
		default:
			out.HasPassword = hasPassword(user)
		}
		return nil
	})
	return out, err
}

// Accept uses an invitation, once: it creates the account (or finds it),
// creates or renews the auditor membership with the invitation's expiry and
// assessment, and marks the invitation accepted, in one audited transaction.
func (s *Service) Accept(ctx context.Context, hasher *auth.Hasher, orgID uuid.UUID, token string, a Acceptance) (Accepted, error) {
	var out Accepted
	now := s.Clock.Now()
	err := s.withInvitation(ctx, orgID, token, func(tx pgx.Tx, inv dbsqlc.Invitation, org dbsqlc.Organization) error {
		user, created, err := s.invitee(ctx, tx, hasher, inv.Email, a, now)
		if err != nil {
			return err
		}
		if _, err := q.AuditorGrant(ctx, tx, dbsqlc.AuditorGrantParams{
			OrgID: orgID, UserID: user.ID, ExpiresAt: &inv.AccessExpiresAt, AssessmentID: inv.AssessmentID, CreatedBy: inv.CreatedBy, CreatedAt: now,
		}); errors.Is(err, pgx.ErrNoRows) {
			return &FieldError{Message: "You are already an owner or admin of this organization: sign in instead."}
		} else if err != nil {
			return fmt.Errorf("account: accept: grant access: %w", err)
		}
		if n, err := q.InvitationMarkAccepted(ctx, tx, dbsqlc.InvitationMarkAcceptedParams{ID: inv.ID, Now: &now, UserID: &user.ID}); err != nil {
			return fmt.Errorf("account: accept: mark accepted: %w", err)
		} else if n != 1 {
			return &InvalidInvitationError{Reason: "used", InvitationID: inv.ID}
		}
		details := map[string]any{"email": inv.Email, "invitation_id": inv.ID.String(), "new_user": created,
			"access_expires_at": inv.AccessExpiresAt.UTC().Format(time.RFC3339)}
		if inv.AssessmentID != nil {
			details["assessment_id"] = inv.AssessmentID.String()
		}
		out = Accepted{User: user, OrgSlug: org.Slug}
		return audit.Record(ctx, tx, orgID, now, audit.UserActor(user.ID, user.Email), audit.Event{
			Action: "auditor.invitation_accept", TargetType: "user", TargetID: user.ID.String(), Details: details,
		})
	})
	return out, err
}

// invitee finds or creates the invited account according to a, and reports
// whether it was created.
func (s *Service) invitee(ctx context.Context, tx pgx.Tx, hasher *auth.Hasher, email string, a Acceptance, now time.Time) (dbsqlc.User, bool, error) {
	user, err := q.UserGetByEmail(ctx, tx, email)
	exists := err == nil
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return dbsqlc.User{}, false, fmt.Errorf("account: accept: find user: %w", err)
	}
	if exists && hasPassword(user) {
		if a.VerifiedID != user.ID {
			return dbsqlc.User{}, false, &FieldError{Field: "password", Message: "Enter the password of your existing attest account."}
		}
		return user, false, nil
	}
	hash, err := newPasswordHash(hasher, email, a)
	if err != nil {
		return dbsqlc.User{}, false, err
	}
	if exists {
		if err := q.UserSetPassword(ctx, tx, dbsqlc.UserSetPasswordParams{ID: user.ID, PasswordHash: &hash, ChangedAt: &now}); err != nil {
			return dbsqlc.User{}, false, fmt.Errorf("account: accept: set password: %w", err)
		}
		return user, false, nil
	}
	user, err = q.UserCreate(ctx, tx, dbsqlc.UserCreateParams{Email: email, PasswordHash: &hash, PasswordChangedAt: &now})
	if err != nil {
		return dbsqlc.User{}, false, fmt.Errorf("account: accept: create user: %w", err)
	}
	return user, true, nil
}

// newPasswordHash checks a new password against the policy and its
// confirmation, and hashes it.
func newPasswordHash(hasher *auth.Hasher, email string, a Acceptance) (string, error) {
	if err := auth.ValidatePassword(a.NewPassword, email); err != nil {
		msg := err.Error()
		return "", &FieldError{Field: "password", Message: strings.ToUpper(msg[:1]) + msg[1:] + "."}
	}
	if a.Confirm != a.NewPassword {
		return "", &FieldError{Field: "confirm", Message: "The two passwords do not match."}
	}
	return hasher.Hash(a.NewPassword)
}

// withInvitation runs fn in the organization's transaction with the usable
// invitation the token names, locked until the transaction ends.
func (s *Service) withInvitation(ctx context.Context, orgID uuid.UUID, token string, fn func(pgx.Tx, dbsqlc.Invitation, dbsqlc.Organization) error) error {
	hash, ok := invitationTokenHash(token)
	if !ok || orgID == uuid.Nil {
		return &InvalidInvitationError{Reason: "malformed"}
	}
	now := s.Clock.Now()
	return db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		inv, err := q.InvitationGetByToken(ctx, tx, hash)
		if errors.Is(err, pgx.ErrNoRows) {
			return &InvalidInvitationError{Reason: "unknown"}
		}
		if err != nil {
			return fmt.Errorf("account: read invitation: %w", err)
		}
		if reason := unusable(inv, now); reason != "" {
			return &InvalidInvitationError{Reason: reason, InvitationID: inv.ID}
		}
		org, err := q.OrgGet(ctx, tx, orgID)
		if err != nil {
			return fmt.Errorf("account: read organization: %w", err)
		}
		return fn(tx, inv, org)
	})
}

// unusable says why an invitation can no longer be used, or "".
func unusable(inv dbsqlc.Invitation, now time.Time) string {
	switch {
	case inv.AcceptedAt != nil:
		return "used"
	case inv.RevokedAt != nil:
		return "revoked"
	case !now.Before(inv.LinkExpiresAt):
		return "link expired"
	case !now.Before(inv.AccessExpiresAt):
		return "access ended"
	}
	return ""
}

func hasPassword(u dbsqlc.User) bool { return u.PasswordHash != nil && *u.PasswordHash != "" }
