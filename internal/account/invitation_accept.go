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
// It deliberately says nothing about whether the email already has an
// account: the page is the same for everyone who holds the link.
type OpenInvitation struct {
	ID      uuid.UUID
	OrgName string
	OrgSlug string
	Email   string
	// Role is what the invitation makes the person: owner, admin or auditor.
	Role string
	// AccessExpiresAt is when an auditor's access ends (nil for an owner or
	// admin).
	AccessExpiresAt *time.Time
	// Assessment names the assessment the auditor will be limited to.
	Assessment string
}

// Acceptance is what the invited person typed: one password, twice. It is
// the password of their existing account, or the one they choose for a new
// account; the form does not ask which.
type Acceptance struct {
	Password string
	Confirm  string
}

// Verifier checks the password of an existing account exactly as signing in
// does (auth.Service.Authenticate: under the sign-in throttle, failures
// counted and audited) and returns the account.
type Verifier func(ctx context.Context, email, password string) (dbsqlc.User, error)

// ErrCredentials means the email has an account and the password typed does
// not open it (or the account has no password and cannot sign in at all).
// It is one answer for both, and it is only reachable for an email that has
// an account, after the same checks every acceptance goes through.
var ErrCredentials = errors.New("account: accept: the password does not open the invited account")

// Accepted is the outcome of an acceptance.
type Accepted struct {
	User    dbsqlc.User
	OrgSlug string
	// Role is the role the invitation granted.
	Role string
	// AssessmentID is the one assessment an auditor is limited to, if any.
	AssessmentID *uuid.UUID
}

// Invitation reads a usable invitation by its link secret.
func (s *Service) Invitation(ctx context.Context, orgID uuid.UUID, token string) (OpenInvitation, error) {
	var out OpenInvitation
	err := s.withInvitation(ctx, orgID, token, func(tx pgx.Tx, inv dbsqlc.Invitation, org dbsqlc.Organization) error {
		out = OpenInvitation{ID: inv.ID, OrgName: org.Name, OrgSlug: org.Slug, Email: inv.Email, Role: inv.Role, AccessExpiresAt: inv.AccessExpiresAt}
		if inv.AssessmentID != nil {
			name, err := q.InvitationAssessmentName(ctx, tx, *inv.AssessmentID)
			if err != nil {
				return fmt.Errorf("account: invitation: read assessment: %w", err)
			}
			out.Assessment = name
		}
		return nil
	})
	return out, err
}

// Accept uses an invitation, once: it signs in the existing account or
// creates the account, creates or renews the membership the invitation
// grants (an auditor's with its expiry and assessment, or an owner's or
// admin's), and marks the invitation accepted, in one audited transaction.
//
// An invitation never sets or changes the credentials of an existing
// account. Whoever holds the link gets one form (the invited email, a
// password typed twice) and the decision is made here, in an order that
// tells them nothing about the email until they prove who they are:
//
//  1. The password is checked against the new-password policy and its
//     confirmation, for everyone, before anything depends on the account.
//     Every path that stores a password applies the same policy, so an
//     existing account's own password passes it: a policy error means "not
//     a usable password" whoever asks, and reveals nothing.
//  2. If the email has an account, the password must open it (verify, the
//     sign-in throttle included). A wrong password and an account without
//     a password (which cannot sign in, so cannot accept) get the one
//     ErrCredentials; verify's throttle errors pass through unchanged.
//     Nothing is written to the account.
//  3. Otherwise the password becomes the new account's, and that password
//     set is audited in the inviting organization.
//
// The outcome itself (accepted or ErrCredentials) is what says the email
// had an account, and only to someone who typed a password that the policy
// accepts; an existing account's password is guessed no faster here than on
// the sign-in page.
func (s *Service) Accept(ctx context.Context, hasher *auth.Hasher, verify Verifier, orgID uuid.UUID, token string, a Acceptance) (Accepted, error) {
	var email string
	var existing bool
	err := s.withInvitation(ctx, orgID, token, func(tx pgx.Tx, inv dbsqlc.Invitation, _ dbsqlc.Organization) error {
		email = inv.Email
		_, err := q.UserGetByEmail(ctx, tx, inv.Email)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("account: accept: find user: %w", err)
		}
		existing = err == nil
		return nil
	})
	if err != nil {
		return Accepted{}, err
	}
	if err := checkNewPassword(a.Password, a.Confirm, email); err != nil {
		return Accepted{}, err
	}
	// The password is proved or hashed before the invitation is locked
	// again: hashing takes a while and must not hold a connection.
	var p proof
	if existing {
		user, err := verify(ctx, email, a.Password)
		if errors.Is(err, auth.ErrInvalidCredentials) {
			return Accepted{}, ErrCredentials
		}
		if err != nil {
			return Accepted{}, err
		}
		p.verified = user.ID
	} else if p.newHash, err = hasher.Hash(a.Password); err != nil {
		return Accepted{}, err
	}
	return s.accept(ctx, orgID, token, p)
}

// proof is how the invitee proved who they are: the id of the existing
// account whose password they entered, or the hash of the password chosen
// for a new account.
type proof struct {
	verified uuid.UUID
	newHash  string
}

// accept does the acceptance's writes once the invitee is proved.
func (s *Service) accept(ctx context.Context, orgID uuid.UUID, token string, p proof) (Accepted, error) {
	var out Accepted
	now := s.Clock.Now()
	err := s.withInvitation(ctx, orgID, token, func(tx pgx.Tx, inv dbsqlc.Invitation, org dbsqlc.Organization) error {
		user, created, err := invitee(ctx, tx, inv.Email, p, now)
		if err != nil {
			return err
		}
		if err := grant(ctx, tx, inv, user.ID, now); err != nil {
			return err
		}
		if n, err := q.InvitationMarkAccepted(ctx, tx, dbsqlc.InvitationMarkAcceptedParams{ID: inv.ID, Now: &now, UserID: &user.ID}); err != nil {
			return fmt.Errorf("account: accept: mark accepted: %w", err)
		} else if n != 1 {
			return &InvalidInvitationError{Reason: "used", InvitationID: inv.ID}
		}
		actor := audit.UserActor(user.ID, user.Email)
		if created {
			if err := recordPasswordSet(ctx, tx, []uuid.UUID{orgID}, orgID, now, actor, user, "invitation"); err != nil {
				return err
			}
		}
		details := map[string]any{"email": inv.Email, "invitation_id": inv.ID.String(), "new_user": created, "role": inv.Role}
		if inv.AccessExpiresAt != nil {
			details["access_expires_at"] = inv.AccessExpiresAt.UTC().Format(time.RFC3339)
		}
		if inv.AssessmentID != nil {
			details["assessment_id"] = inv.AssessmentID.String()
		}
		out = Accepted{User: user, OrgSlug: org.Slug, Role: inv.Role, AssessmentID: inv.AssessmentID}
		return audit.Record(ctx, tx, orgID, now, actor, audit.Event{
			Action: invitationAction(inv.Role, "invitation_accept"), TargetType: "user", TargetID: user.ID.String(), Details: details,
		})
	})
	return out, err
}

// grant creates or renews the membership the invitation grants. A live
// owner or admin is never changed by an invitation: not turned into an
// auditor, and not given another role (that is the members page's job).
func grant(ctx context.Context, tx pgx.Tx, inv dbsqlc.Invitation, userID uuid.UUID, now time.Time) error {
	var err error
	if inv.Role == RoleAuditor {
		_, err = q.AuditorGrant(ctx, tx, dbsqlc.AuditorGrantParams{
			OrgID: inv.OrgID, UserID: userID, ExpiresAt: inv.AccessExpiresAt, AssessmentID: inv.AssessmentID, CreatedBy: inv.CreatedBy, CreatedAt: now,
		})
	} else {
		_, err = q.MemberGrant(ctx, tx, dbsqlc.MemberGrantParams{OrgID: inv.OrgID, UserID: userID, Role: inv.Role, CreatedBy: inv.CreatedBy, CreatedAt: now})
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return &FieldError{Message: "You are already an owner or admin of this organization: sign in instead."}
	}
	if err != nil {
		return fmt.Errorf("account: accept: grant access: %w", err)
	}
	return nil
}

// invitee finds the proved account or creates the new one, and reports
// whether it was created. The email is read again under the invitation's
// lock: an account that appeared since the proof was made is refused, never
// given the chosen password.
func invitee(ctx context.Context, tx pgx.Tx, email string, p proof, now time.Time) (dbsqlc.User, bool, error) {
	user, err := q.UserGetByEmail(ctx, tx, email)
	switch {
	case err == nil && p.verified == user.ID:
		return user, false, nil
	case err == nil:
		return dbsqlc.User{}, false, ErrCredentials
	case !errors.Is(err, pgx.ErrNoRows):
		return dbsqlc.User{}, false, fmt.Errorf("account: accept: find user: %w", err)
	case p.newHash == "":
		return dbsqlc.User{}, false, ErrCredentials
	}
	user, err = q.UserCreate(ctx, tx, dbsqlc.UserCreateParams{Email: email, PasswordHash: &p.newHash, PasswordChangedAt: &now})
	if err != nil {
		return dbsqlc.User{}, false, fmt.Errorf("account: accept: create user: %w", err)
	}
	return user, true, nil
}

// checkNewPassword checks a password against the policy and its
// confirmation, as a form's field errors.
func checkNewPassword(password, confirm, email string) error {
	if err := auth.ValidatePassword(password, email); err != nil {
		msg := err.Error()
		return &FieldError{Field: "password", Message: strings.ToUpper(msg[:1]) + msg[1:] + "."}
	}
	if confirm != password {
		return &FieldError{Field: "confirm", Message: "The two passwords do not match."}
	}
	return nil
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
	case inv.AccessExpiresAt != nil && !now.Before(*inv.AccessExpiresAt):
		return "access ended"
	}
	return ""
}

func hasPassword(u dbsqlc.User) bool { return u.PasswordHash != nil && *u.PasswordHash != "" }
