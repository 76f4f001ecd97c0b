package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/pgtext"
)

// Session is a signed-in user's server-side session.
type Session struct {
	// Token is the raw id the cookie carries; only its hash is stored.
	Token       []byte
	UserID      uuid.UUID
	Email       string
	DisplayName string
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// IDHash is the stored form of the session id, which binds OAuth flows to
// the session that started them.
func (s *Session) IDHash() []byte { return hashToken(s.Token) }

// ErrNoSession means the cookie's session is unknown, revoked or expired.
var ErrNoSession = errors.New("auth: no valid session")

// touchEvery limits last-seen writes to one per minute per session.
const touchEvery = time.Minute

func hashToken(token []byte) []byte {
	h := sha256.Sum256(token)
	return h[:]
}

func (s *Service) newSession(ctx context.Context, tx pgx.Tx, user dbsqlc.User, client Client, now time.Time) (*Session, error) {
	token := make([]byte, 32)
	if _, err := rand.Read(token); err != nil {
		return nil, fmt.Errorf("auth: session id: %w", err)
	}
	expires := now.Add(s.MaxAge)
	err := q.SessionCreate(ctx, tx, dbsqlc.SessionCreateParams{
		IDHash: hashToken(token), UserID: user.ID, CreatedAt: now, ExpiresAt: expires,
		IP: client.IP, UserAgent: pgtext.Cut(client.UserAgent, 300),
	})
	if err != nil {
		return nil, fmt.Errorf("auth: create session: %w", err)
	}
	return &Session{Token: token, UserID: user.ID, Email: user.Email, DisplayName: user.DisplayName, CreatedAt: now, ExpiresAt: expires}, nil
}

// Lookup returns the live session for token, enforcing the idle and absolute
// timeouts, and records activity.
func (s *Service) Lookup(ctx context.Context, token []byte) (*Session, error) {
	if len(token) != 32 {
		return nil, ErrNoSession
	}
	now := s.Clock.Now()
	// One statement each, outside a transaction: a lookup is one round trip.
	row, err := q.SessionGet(ctx, s.Pool, hashToken(token))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("auth: read session: %w", err)
	}
	if row.RevokedAt != nil || !now.Before(row.ExpiresAt) || now.Sub(row.LastSeenAt) >= s.IdleTimeout {
		return nil, ErrNoSession
	}
	if now.Sub(row.LastSeenAt) >= touchEvery {
		if err := q.SessionTouch(ctx, s.Pool, dbsqlc.SessionTouchParams{IDHash: row.IDHash, Now: now}); err != nil {
			return nil, fmt.Errorf("auth: touch session: %w", err)
		}
	}
	return &Session{Token: token, UserID: row.UserID, Email: row.Email, DisplayName: row.DisplayName, CreatedAt: row.CreatedAt, ExpiresAt: row.ExpiresAt}, nil
}

// Revoke ends the session for token server-side.
func (s *Service) Revoke(ctx context.Context, token []byte) error {
	return db.Tx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := q.SessionRevoke(ctx, tx, dbsqlc.SessionRevokeParams{IDHash: hashToken(token), Now: s.Clock.Now()}); err != nil {
			return fmt.Errorf("auth: revoke session: %w", err)
		}
		return nil
	})
}
