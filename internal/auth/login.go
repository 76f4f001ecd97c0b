package auth

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
)

// ErrInvalidCredentials is the one answer for an unknown email or a wrong
// password.
var ErrInvalidCredentials = errors.New("auth: invalid email or password")

// ErrAccessExpired means the password was right but every membership of the
// account has ended (an auditor whose access expired or was revoked).
var ErrAccessExpired = errors.New("auth: access has expired")

// ThrottledError means the attempt was not evaluated: the account or the
// client address must wait, or is locked, or (Busy) every hashing slot was
// taken.
type ThrottledError struct {
	RetryAfter time.Duration
	Locked     bool
	Busy       bool
}

func (e *ThrottledError) Error() string {
	switch {
	case e.Busy:
		return fmt.Sprintf("auth: sign-in busy, retry in %s", e.RetryAfter.Round(time.Second))
	case e.Locked:
		return fmt.Sprintf("auth: sign-in locked for %s", e.RetryAfter.Round(time.Second))
	}
	return fmt.Sprintf("auth: sign-in slowed down for %s", e.RetryAfter.Round(time.Second))
}

// busyRetryAfter is the wait suggested to an attempt turned away because
// every hashing slot was taken.
const busyRetryAfter = time.Second

// Login checks the credentials and opens a new session.
func (s *Service) Login(ctx context.Context, rawEmail, password string, client Client) (*Session, error) {
	user, err := s.Authenticate(ctx, rawEmail, password, client)
	if err != nil {
		return nil, err
	}
	return s.StartSession(ctx, user, client)
}

// Authenticate checks an email and password under the sign-in throttle and
// returns the account. Failures are counted and audited as for sign-in, and
// every one gets ErrInvalidCredentials (or a *ThrottledError).
//
// The attempt is reserved before the password is hashed: under a lock on
// the account and on the address it is judged against the failures so far
// and, if allowed, written as a failure, so concurrent attempts count it.
// Only then does it queue for a hashing slot. A success, or an attempt that
// found no slot, takes the reservation back.
func (s *Service) Authenticate(ctx context.Context, rawEmail, password string, client Client) (dbsqlc.User, error) {
	now := s.Clock.Now()
	email := strings.ToLower(strings.TrimSpace(rawEmail))
	r, err := s.reserve(ctx, email, client, now)
	if err != nil {
		return dbsqlc.User{}, err
	}
	var hash *string
	if r.found {
		hash = r.user.PasswordHash
	}
	ok := false
	if len(password) <= MaxPasswordLen {
		ok, err = s.Hasher.Check(ctx, password, hash)
	}
	switch {
	case errors.Is(err, ErrBusy):
		if err := s.withdraw(ctx, r.id); err != nil {
			return dbsqlc.User{}, err
		}
		return dbsqlc.User{}, &ThrottledError{RetryAfter: busyRetryAfter, Busy: true}
	case !ok:
		return dbsqlc.User{}, s.fail(ctx, r, client, now)
	}
	if err := s.withdraw(ctx, r.id); err != nil {
		return dbsqlc.User{}, err
	}
	return r.user, nil
}

// StartSession opens a new session for an account whose identity the caller
// established (Authenticate, or a just-accepted invitation). An account whose
// every membership expired or was revoked gets ErrAccessExpired and no
// session, the refusal audited where the access ended, unless it is a
// platform operator: operators need no membership (their sign-in, outside
// any organization, is logged).
func (s *Service) StartSession(ctx context.Context, user dbsqlc.User, client Client) (*Session, error) {
	now := s.Clock.Now()
	memberships, err := s.activeMemberships(ctx, user.ID, now)
	if err != nil {
		return nil, err
	}
	if len(memberships) == 0 {
		operator, err := q.OperatorExists(ctx, s.Pool, user.ID)
		if err != nil {
			return nil, fmt.Errorf("auth: check operator: %w", err)
		}
		if !operator {
			return nil, s.refuseEnded(ctx, user, client, now)
		}
		s.Log.InfoContext(ctx, "operator signed in", "user_id", user.ID.String(), "ip", client.IP)
	}
	var sess *Session
	err = db.Tx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := q.LoginAttemptRecord(ctx, tx, dbsqlc.LoginAttemptRecordParams{Email: user.Email, IP: client.IP, Succeeded: true, AttemptedAt: now}); err != nil {
			return fmt.Errorf("auth: record attempt: %w", err)
		}
		sess, err = s.newSession(ctx, tx, user, client, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.auditEach(ctx, memberships, now, user, client, audit.Event{Action: "auth.login"})
	return sess, nil
}

// refuseEnded audits a sign-in refused because every membership ended, in
// each organization where one did, and returns ErrAccessExpired.
func (s *Service) refuseEnded(ctx context.Context, user dbsqlc.User, client Client, now time.Time) error {
	var ended []uuid.UUID
	err := db.AsUser(ctx, s.Pool, user.ID, func(tx pgx.Tx) error {
		var err error
		ended, err = q.MembershipListEndedForUser(ctx, tx, dbsqlc.MembershipListEndedForUserParams{UserID: user.ID, Now: now})
		return err
	})
	if err != nil {
		return fmt.Errorf("auth: list ended memberships: %w", err)
	}
	s.auditEach(ctx, ended, now, user, client, audit.Event{Action: "auth.login_denied", Details: map[string]any{"reason": "access expired or revoked"}})
	return ErrAccessExpired
}

// failureCounts are the failures counted before this attempt.
type failureCounts struct {
	account, ip int
}

// reservation is an attempt the throttle let through, counted as a failure
// until it proves otherwise.
type reservation struct {
	id     int64
	user   dbsqlc.User
	found  bool
	before failureCounts
}

// reserve judges the attempt against the failures counted so far and, if
// the throttle allows it, records it as a failure and finds the user, all
// under transaction-scoped locks on the email and on the address: attempts
// on either are serialised from the count to the reservation.
func (s *Service) reserve(ctx context.Context, email string, client Client, now time.Time) (reservation, error) {
	var r reservation
	var throttled *ThrottledError
	err := db.Tx(ctx, s.Pool, func(tx pgx.Tx) error {
		for _, lock := range []dbsqlc.LoginAttemptLockParams{{Scope: "email", Key: email}, {Scope: "ip", Key: client.IP}} {
			if err := q.LoginAttemptLock(ctx, tx, lock); err != nil {
				return fmt.Errorf("auth: lock attempts: %w", err)
			}
		}
		since := now.Add(-s.Throttle.Window)
		acct, err := q.LoginFailuresForEmail(ctx, tx, dbsqlc.LoginFailuresForEmailParams{Email: email, Since: since})
		if err != nil {
			return fmt.Errorf("auth: count failures: %w", err)
		}
		ip, err := q.LoginFailuresForIP(ctx, tx, dbsqlc.LoginFailuresForIPParams{IP: client.IP, Since: since})
		if err != nil {
			return fmt.Errorf("auth: count failures: %w", err)
		}
		r.before = failureCounts{account: int(acct.Failures), ip: int(ip.Failures)}
		va := s.Throttle.judge(r.before.account, s.Throttle.AccountSlowAfter, s.Throttle.AccountLockAfter, acct.LastFailure, now)
		vi := s.Throttle.judge(r.before.ip, s.Throttle.IPSlowAfter, s.Throttle.IPLockAfter, ip.LastFailure, now)
		for _, v := range []verdict{va, vi} {
			if v.retryAfter > 0 && (throttled == nil || v.retryAfter > throttled.RetryAfter) {
				throttled = &ThrottledError{RetryAfter: v.retryAfter, Locked: v.locked}
			}
		}
		if throttled != nil {
			return nil
		}
		r.id, err = q.LoginAttemptReserve(ctx, tx, dbsqlc.LoginAttemptReserveParams{Email: email, IP: client.IP, AttemptedAt: now})
		if err != nil {
			return fmt.Errorf("auth: reserve attempt: %w", err)
		}
		r.user, err = q.UserGetByEmail(ctx, tx, email)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return nil
		case err != nil:
			return fmt.Errorf("auth: find user: %w", err)
		}
		r.found = true
		return nil
	})
	if err == nil && throttled != nil {
		err = throttled
	}
	return r, err
}

// withdraw takes back a reservation: the attempt succeeded, or was never
// evaluated. It runs even when the request was cancelled.
func (s *Service) withdraw(ctx context.Context, id int64) error {
	if err := q.LoginAttemptWithdraw(context.WithoutCancel(ctx), s.Pool, id); err != nil {
		return fmt.Errorf("auth: withdraw attempt: %w", err)
	}
	return nil
}

// fail audits a failed attempt, already recorded by its reservation (and a
// lockout it causes), in each organization of the account, and returns the
// generic error.
func (s *Service) fail(ctx context.Context, r reservation, client Client, now time.Time) error {
	if !r.found {
		return ErrInvalidCredentials
	}
	user := r.user
	memberships, err := s.activeMemberships(ctx, user.ID, time.Time{})
	if err != nil {
		return err
	}
	s.auditEach(ctx, memberships, now, user, client, audit.Event{Action: "auth.login_failed", Details: map[string]any{"reason": "wrong password"}})
	for _, l := range []struct {
		scope         string
		count, lockAt int
	}{{"account", r.before.account + 1, s.Throttle.AccountLockAfter}, {"address", r.before.ip + 1, s.Throttle.IPLockAfter}} {
		if l.count == l.lockAt {
			s.auditEach(ctx, memberships, now, user, client, audit.Event{Action: "auth.lockout", Details: map[string]any{
				"scope": l.scope, "failures": l.count, "until": now.Add(s.Throttle.LockFor).UTC().Format(time.RFC3339),
			}})
		}
	}
	return ErrInvalidCredentials
}

// activeMemberships lists the organizations the user may enter at now (a
// zero now ignores expiry).
func (s *Service) activeMemberships(ctx context.Context, userID uuid.UUID, now time.Time) ([]uuid.UUID, error) {
	var orgs []uuid.UUID
	err := db.AsUser(ctx, s.Pool, userID, func(tx pgx.Tx) error {
		rows, err := q.MembershipListForUser(ctx, tx, userID)
		if err != nil {
			return fmt.Errorf("auth: list memberships: %w", err)
		}
		for _, m := range rows {
			if now.IsZero() || m.ExpiresAt == nil || now.Before(*m.ExpiresAt) {
				orgs = append(orgs, m.OrgID)
			}
		}
		return nil
	})
	return orgs, err
}

// auditEach writes ev to the log of every listed organization. One
// organization failing does not stop the others; failures are logged.
func (s *Service) auditEach(ctx context.Context, orgs []uuid.UUID, now time.Time, user dbsqlc.User, client Client, ev audit.Event) {
	ctx = audit.WithRequest(ctx, audit.Request{IP: client.IP, RequestID: client.RequestID})
	ev.TargetType, ev.TargetID = "user", user.ID.String()
	for _, org := range orgs {
		err := db.InOrg(ctx, s.Pool, org, func(tx pgx.Tx) error {
			return audit.Record(ctx, tx, org, now, audit.UserActor(user.ID, user.Email), ev)
		})
		if err != nil {
			s.Log.ErrorContext(ctx, "audit sign-in event", "action", ev.Action, "org_id", org, "err", err)
		}
	}
}
