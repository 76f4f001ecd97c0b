package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
)

// InvitationLinkLifetime is how long an invitation link works (once).
const InvitationLinkLifetime = 7 * 24 * time.Hour

// FieldError is input the person must correct. Field names the form field
// ("" for the form as a whole); Message is a sentence written for the form.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return "account: " + e.Message }

// ErrNotFound means the invitation or auditor is not (or no longer) there:
// unknown, another organization's, already accepted or already revoked.
var ErrNotFound = errors.New("account: not found")

// Invited is a new invitation and its secret, which is shown once and never
// stored: only its SHA-256 is.
type Invited struct {
	Invitation dbsqlc.Invitation
	Token      string
}

// Path is the invitation link's path. The organization's id in it lets the
// public accept page open a transaction scoped to that organization.
func (i Invited) Path() string { return InvitationPath(i.Invitation.OrgID, i.Token) }

// InvitationPath is the accept page of an invitation.
func InvitationPath(orgID uuid.UUID, token string) string {
	return "/invitations/" + orgID.String() + "/" + token
}

// Invite asks email to become an auditor of the organization until
// accessExpiresAt, optionally limited to one assessment. It replaces the
// email's pending invitations; an owner or admin of the organization cannot
// be invited. The actor's id is recorded as the inviter.
func (s *Service) Invite(ctx context.Context, orgID uuid.UUID, actor audit.Actor, rawEmail string, accessExpiresAt time.Time, assessmentID *uuid.UUID) (Invited, error) {
	email, err := invitedEmail(rawEmail)
	if err != nil {
		return Invited{}, err
	}
	if err := checkAccessExpiry(accessExpiresAt, s.Clock.Now()); err != nil {
		return Invited{}, err
	}
	return s.invite(ctx, orgID, actor, email, terms{Role: RoleAuditor, AccessExpiresAt: &accessExpiresAt, AssessmentID: assessmentID})
}

// terms are what an invitation grants: a role and, for an auditor, when the
// access ends and the one assessment it may be limited to.
type terms struct {
	Role            string
	AccessExpiresAt *time.Time
	AssessmentID    *uuid.UUID
}

// invitedEmail normalizes the invite form's email, or says what is wrong.
func invitedEmail(raw string) (string, error) {
	email, err := NormalizeEmail(raw)
	if err != nil {
		return "", &FieldError{Field: "email", Message: "Enter a valid email address."}
	}
	return email, nil
}

// invite creates an invitation of the (normalized) email with its terms, in
// one audited transaction, replacing the email's pending invitations. An
// email that is already a live owner or admin of the organization cannot be
// invited again.
func (s *Service) invite(ctx context.Context, orgID uuid.UUID, actor audit.Actor, email string, t terms) (Invited, error) {
	now := s.Clock.Now()
	token, hash, err := newInvitationToken()
	if err != nil {
		return Invited{}, err
	}
	var out Invited
	err = db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		role, err := q.InvitationMemberRole(ctx, tx, dbsqlc.InvitationMemberRoleParams{OrgID: orgID, Email: email})
		switch {
		case err == nil && role != RoleAuditor:
			return &FieldError{Field: "email", Message: alreadyMember(t.Role)}
		case err != nil && !errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("account: invite: read membership: %w", err)
		}
		details := map[string]any{"email": email, "role": t.Role, "link_expires_at": now.Add(InvitationLinkLifetime).UTC().Format(time.RFC3339)}
		if t.AccessExpiresAt != nil {
			details["access_expires_at"] = t.AccessExpiresAt.UTC().Format(time.RFC3339)
		}
		if t.AssessmentID != nil {
			// Checked under row-level security: the foreign key alone would
			// accept another organization's assessment.
			name, err := q.InvitationAssessmentName(ctx, tx, *t.AssessmentID)
			if errors.Is(err, pgx.ErrNoRows) {
				return &FieldError{Field: "assessment", Message: "Choose one of this organization's assessments."}
			}
			if err != nil {
				return fmt.Errorf("account: invite: read assessment: %w", err)
			}
			details["assessment_id"], details["assessment"] = t.AssessmentID.String(), name
		}
		replaced, err := q.InvitationRevokePendingForEmail(ctx, tx, dbsqlc.InvitationRevokePendingForEmailParams{Email: email, Now: &now})
		if err != nil {
			return fmt.Errorf("account: invite: replace pending: %w", err)
		}
		if len(replaced) > 0 {
			details["replaced"] = replaced
		}
		inv, err := q.InvitationCreate(ctx, tx, dbsqlc.InvitationCreateParams{
			OrgID: orgID, Email: email, Role: t.Role, AssessmentID: t.AssessmentID, AccessExpiresAt: t.AccessExpiresAt,
			TokenHash: hash, LinkExpiresAt: now.Add(InvitationLinkLifetime), CreatedAt: now, CreatedBy: actor.ID,
		})
		if err != nil {
			return fmt.Errorf("account: invite: create: %w", err)
		}
		out = Invited{Invitation: inv, Token: token}
		return audit.Record(ctx, tx, orgID, now, actor, audit.Event{
			Action: invitationAction(t.Role, "invite"), TargetType: "invitation", TargetID: inv.ID.String(), Details: details,
		})
	})
	if err != nil {
		return Invited{}, err
	}
	return out, nil
}

// alreadyMember is the invite form's answer for an email that is already a
// live owner or admin.
func alreadyMember(invitedRole string) string {
	if invitedRole == RoleAuditor {
		return "That person is already an owner or admin of this organization."
	}
	return "That person is already an owner or admin of this organization: change their role in the members list."
}

// invitationAction names an invitation's audit action: auditor.* for an
// auditor's invitation, member.* for an owner's or admin's.
func invitationAction(role, verb string) string {
	if role == RoleAuditor {
		return "auditor." + verb
	}
	return "member." + verb
}

// RevokeInvitation withdraws a pending invitation: its link stops working.
func (s *Service) RevokeInvitation(ctx context.Context, orgID uuid.UUID, actor audit.Actor, id uuid.UUID) error {
	now := s.Clock.Now()
	return db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		inv, err := q.InvitationRevoke(ctx, tx, dbsqlc.InvitationRevokeParams{ID: id, Now: &now})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("account: revoke invitation: %w", err)
		}
		return audit.Record(ctx, tx, orgID, now, actor, audit.Event{
			Action: invitationAction(inv.Role, "invitation_revoke"), TargetType: "invitation", TargetID: inv.ID.String(),
			Details: map[string]any{"email": inv.Email, "role": inv.Role},
		})
	})
}

// RevokeAuditor ends an auditor's access at once (the membership is kept,
// marked revoked) and withdraws their pending invitations, so no old link
// can bring the access back.
func (s *Service) RevokeAuditor(ctx context.Context, orgID uuid.UUID, actor audit.Actor, userID uuid.UUID) error {
	now := s.Clock.Now()
	return db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		if _, err := q.AuditorRevoke(ctx, tx, dbsqlc.AuditorRevokeParams{OrgID: orgID, UserID: userID, Now: &now}); errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("account: revoke auditor: %w", err)
		}
		user, err := q.UserGet(ctx, tx, userID)
		if err != nil {
			return fmt.Errorf("account: revoke auditor: read user: %w", err)
		}
		withdrawn, err := q.InvitationRevokePendingForEmail(ctx, tx, dbsqlc.InvitationRevokePendingForEmailParams{Email: user.Email, Now: &now})
		if err != nil {
			return fmt.Errorf("account: revoke auditor: withdraw invitations: %w", err)
		}
		details := map[string]any{"email": user.Email}
		if len(withdrawn) > 0 {
			details["withdrawn_invitations"] = withdrawn
		}
		return audit.Record(ctx, tx, orgID, now, actor, audit.Event{
			Action: "auditor.revoke", TargetType: "user", TargetID: userID.String(), Details: details,
		})
	})
}

// checkAccessExpiry requires the end of access to be in the future and at
// most a year away (plus the day the chosen date ends on).
func checkAccessExpiry(at, now time.Time) error {
	switch {
	case !at.After(now):
		return &FieldError{Field: "access_until", Message: "Choose an access end date in the future."}
	case at.After(now.AddDate(1, 0, 1)):
		return &FieldError{Field: "access_until", Message: "Auditor access can last at most one year."}
	}
	return nil
}

// newInvitationToken returns a link secret (32 random bytes, base64url) and
// the SHA-256 that is stored in its place.
func newInvitationToken() (string, []byte, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, fmt.Errorf("account: invitation secret: %w", err)
	}
	sum := sha256.Sum256(raw)
	return base64.RawURLEncoding.EncodeToString(raw), sum[:], nil
}

// invitationTokenHash is the stored form of a link secret, or false for
// anything that cannot be one.
func invitationTokenHash(token string) ([]byte, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != 32 {
		return nil, false
	}
	sum := sha256.Sum256(raw)
	return sum[:], true
}
