package connection

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/secret"
	"github.com/attesthq/attest/internal/vault"
)

// StateError explains why a callback's state cannot be used.
type StateError struct {
	Reason string
}

func (e *StateError) Error() string { return "connection: state " + e.Reason }

// State rejection reasons.
const (
	StateUnknown = "unknown"
	StateForeign = "foreign"
	StateUsed    = "used"
	StateExpired = "expired"
)

// Outcome is what a callback did.
type Outcome struct {
	OrgID        uuid.UUID
	ConnectionID uuid.UUID
	Purpose      string
	// Problem explains a failure; nil on success.
	Problem *connector.Problem
	// MissingScopes lists requested permissions the grant lacks.
	MissingScopes []string
}

// flowContext is what the callback needs from a taken flow.
type flowContext struct {
	flow         dbsqlc.OauthFlow
	conn         dbsqlc.Connection
	clientSecret secret.String
	verifier     string
}

// Complete handles the provider's redirect back to the callback: it checks
// the state (known, this session's, unused, fresh), consumes it, and then
// records the provider's error, an admin consent, or redeems the code.
func (s *Service) Complete(ctx context.Context, key string, user User, params url.Values) (Outcome, error) {
	c := s.Registry.Get(key)
	if c == nil {
		return Outcome{}, ErrNotFound
	}
	orgID, stateHash, err := parseState(params.Get("state"))
	if err != nil {
		return Outcome{}, &StateError{Reason: StateUnknown}
	}
	fc, err := s.takeFlow(ctx, orgID, stateHash, user)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{OrgID: orgID, ConnectionID: fc.conn.ID, Purpose: fc.flow.Purpose}
	action := "connection.connect"
	switch fc.flow.Purpose {
	case "reauth":
		action = "connection.reauth"
	case "admin_consent":
		action = "connection.admin_consent"
	}

	if p := c.CallbackProblem(params); p != nil {
		out.Problem = p
		return out, s.recordFailure(ctx, fc, user, action, *p, map[string]any{
			"error": params.Get("error"), "error_subcode": params.Get("error_subcode"),
		})
	}
	if fc.flow.Purpose == "admin_consent" {
		return out, s.record(ctx, fc, user, audit.Event{Action: action, Details: map[string]any{
			"admin_consent": params.Get("admin_consent"),
		}})
	}
	code := params.Get("code")
	if code == "" {
		p := connector.Problem{Title: "Microsoft sent no authorization code", Class: connector.ClassTransient,
			Message: "The sign-in returned without a code or an error.", NextStep: "Start the connection again."}
		out.Problem = &p
		return out, s.recordFailure(ctx, fc, user, action, p, nil)
	}
	grant, err := c.Exchange(ctx, fc.conn.Settings, fc.clientSecret, fc.flow.RedirectUri, code, fc.verifier)
	if err != nil {
		p := c.DescribeError(err, fc.flow.RedirectUri)
		out.Problem = &p
		return out, s.recordFailure(ctx, fc, user, action, p, nil)
	}
	out.MissingScopes = grant.MissingScopes
	return out, s.activate(ctx, fc, user, action, grant)
}

// takeFlow validates and consumes the flow, and opens the secrets it needs.
func (s *Service) takeFlow(ctx context.Context, orgID uuid.UUID, stateHash []byte, user User) (flowContext, error) {
	var fc flowContext
	var rejected *StateError
	err := db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		flow, err := q.OAuthFlowTake(ctx, tx, stateHash)
		if errors.Is(err, pgx.ErrNoRows) {
			rejected = &StateError{Reason: StateUnknown}
			return nil
		}
		if err != nil {
			return fmt.Errorf("connection: read flow: %w", err)
		}
		now := s.Clock.Now()
		switch {
		case flow.UserID != user.ID || !bytes.Equal(flow.SessionHash, user.SessionHash):
			rejected = &StateError{Reason: StateForeign}
		case flow.UsedAt != nil:
			rejected = &StateError{Reason: StateUsed}
		case !now.Before(flow.ExpiresAt):
			rejected = &StateError{Reason: StateExpired}
		}
		if rejected != nil {
			return audit.Record(ctx, tx, orgID, now, user.actor(), audit.Event{
				Action: "connection.callback_rejected", TargetType: "connection", TargetID: flow.ConnectionID.String(),
				Details: map[string]any{"reason": rejected.Reason, "purpose": flow.Purpose},
			})
		}
		if err := q.OAuthFlowMarkUsed(ctx, tx, dbsqlc.OAuthFlowMarkUsedParams{StateHash: stateHash, Now: now}); err != nil {
			return fmt.Errorf("connection: consume flow: %w", err)
		}
		conn, err := q.ConnectionGet(ctx, tx, flow.ConnectionID)
		if err != nil {
			return fmt.Errorf("connection: load: %w", err)
		}
		if conn.DeletedAt != nil {
			return ErrRevoked
		}
		fc = flowContext{flow: flow, conn: conn}
		if flow.Purpose == "admin_consent" {
			return nil
		}
		sec, err := s.Vault.Open(ctx, tx, orgID, conn.ID, vault.PurposeClientSecret, conn.ClientSecretSealed)
		if err != nil {
			return err
		}
		ver, err := s.Vault.Open(ctx, tx, orgID, conn.ID, vault.PurposeVerifier, flow.VerifierSealed)
		if err != nil {
			return err
		}
		fc.clientSecret, fc.verifier = secret.New(string(sec)), string(ver)
		return nil
	})
	if err == nil && rejected != nil {
		err = rejected
	}
	return fc, err
}

func (s *Service) record(ctx context.Context, fc flowContext, user User, ev audit.Event) error {
	return db.InOrg(ctx, s.Pool, fc.conn.OrgID, func(tx pgx.Tx) error {
		ev.TargetType, ev.TargetID = "connection", fc.conn.ID.String()
		return audit.Record(ctx, tx, fc.conn.OrgID, s.Clock.Now(), user.actor(), ev)
	})
}

// recordFailure audits a failed authorization and, for a connection not yet
// active, shows the reason on it.
func (s *Service) recordFailure(ctx context.Context, fc flowContext, user User, action string, p connector.Problem, extra map[string]any) error {
	details := map[string]any{"purpose": fc.flow.Purpose, "problem": p.Title, "class": p.Class}
	if p.Code != "" {
		details["code"] = p.Code
	}
	for k, v := range extra {
		if v != "" {
			details[k] = v
		}
	}
	return db.InOrg(ctx, s.Pool, fc.conn.OrgID, func(tx pgx.Tx) error {
		if fc.conn.Status == StatusPending {
			if err := q.ConnectionSetStatusReason(ctx, tx, dbsqlc.ConnectionSetStatusReasonParams{ID: fc.conn.ID, StatusReason: p.Title}); err != nil {
				return fmt.Errorf("connection: set reason: %w", err)
			}
		}
		return audit.Record(ctx, tx, fc.conn.OrgID, s.Clock.Now(), user.actor(), audit.Event{
			Action: action + "_failed", TargetType: "connection", TargetID: fc.conn.ID.String(), Details: details,
		})
	})
}

// activate seals the refresh token, makes the connection active and queues
// its first sync, all in one transaction with the audit row.
func (s *Service) activate(ctx context.Context, fc flowContext, user User, action string, g connector.Grant) error {
	now := s.Clock.Now()
	return db.InOrg(ctx, s.Pool, fc.conn.OrgID, func(tx pgx.Tx) error {
		sealed, err := s.Vault.Seal(ctx, tx, fc.conn.OrgID, fc.conn.ID, vault.PurposeRefreshToken, []byte(g.RefreshToken.Reveal()))
		if err != nil {
			return err
		}
		reason := ""
		if len(g.MissingScopes) > 0 {
			reason = "Not granted: " + strings.Join(g.MissingScopes, ", ")
		}
		if err := q.ConnectionActivate(ctx, tx, dbsqlc.ConnectionActivateParams{
			ID: fc.conn.ID, StatusReason: reason, RefreshTokenSealed: sealed, GrantedScopes: g.Scopes,
			ConsentedBy: g.ConsentedBy, Now: now,
		}); err != nil {
			return fmt.Errorf("connection: activate: %w", err)
		}
		details := map[string]any{"purpose": fc.flow.Purpose, "scopes": g.Scopes, "consented_by": g.ConsentedBy}
		if len(g.MissingScopes) > 0 {
			details["missing_scopes"] = g.MissingScopes
		}
		if err := audit.Record(ctx, tx, fc.conn.OrgID, now, user.actor(), audit.Event{
			Action: action, TargetType: "connection", TargetID: fc.conn.ID.String(), Details: details,
		}); err != nil {
			return err
		}
		if err := s.reconcileAlerts(ctx, tx, fc.conn.ID); err != nil {
			return err
		}
		if s.Syncs == nil {
			return nil
		}
		trigger := "first"
		if fc.flow.Purpose == "reauth" {
			trigger = "manual"
		}
		return s.Syncs.EnqueueSync(ctx, tx, fc.conn.OrgID, fc.conn.ID, trigger)
	})
}

// Revoke soft-deletes a connection: status revoked, deleted_at set, sealed
// credentials cleared; its evidence and run history stay.
func (s *Service) Revoke(ctx context.Context, orgID uuid.UUID, user User, connID uuid.UUID) error {
	now := s.Clock.Now()
	return db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		conn, err := lockConnection(ctx, tx, connID)
		if err != nil {
			return err
		}
		if conn.DeletedAt != nil {
			return ErrRevoked
		}
		if err := q.ConnectionRevoke(ctx, tx, dbsqlc.ConnectionRevokeParams{ID: connID, Now: now, DeletedBy: &user.ID}); err != nil {
			return fmt.Errorf("connection: revoke: %w", err)
		}
		if err := audit.Record(ctx, tx, orgID, now, user.actor(), audit.Event{
			Action: "connection.revoke", TargetType: "connection", TargetID: connID.String(),
			Details: map[string]any{"name": conn.DisplayName, "previous_status": conn.Status},
		}); err != nil {
			return err
		}
		return s.reconcileAlerts(ctx, tx, connID)
	})
}

// Threshold limits.
const (
	MinStaleAfter   = time.Hour
	MaxStaleAfter   = 30 * 24 * time.Hour
	MinInactiveDays = 7
	MaxInactiveDays = 730
)

// ErrThresholds explains thresholds out of range.
var ErrThresholds = errors.New("the stale threshold must be 1 to 720 hours and inactivity 7 to 730 days")

// SetThresholds changes when the connection's evidence counts as stale and
// when an account counts as inactive, and reconciles its alerts at once.
func (s *Service) SetThresholds(ctx context.Context, orgID uuid.UUID, user User, connID uuid.UUID, staleAfter time.Duration, inactiveDays int) error {
	if staleAfter < MinStaleAfter || staleAfter > MaxStaleAfter || inactiveDays < MinInactiveDays || inactiveDays > MaxInactiveDays {
		return ErrThresholds
	}
	return db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		conn, err := lockConnection(ctx, tx, connID)
		if err != nil {
			return err
		}
		if err := q.ConnectionSetThresholds(ctx, tx, dbsqlc.ConnectionSetThresholdsParams{
			ID: connID, StaleAfterSeconds: int32(staleAfter.Seconds()), InactiveDays: int32(inactiveDays),
		}); err != nil {
			return fmt.Errorf("connection: set thresholds: %w", err)
		}
		if err := audit.Record(ctx, tx, orgID, s.Clock.Now(), user.actor(), audit.Event{
			Action: "connection.settings", TargetType: "connection", TargetID: connID.String(),
			Details: map[string]any{"stale_after_hours": int(staleAfter.Hours()), "inactive_days": inactiveDays,
				"previous_stale_after_hours": int(conn.StaleAfterSeconds / 3600), "previous_inactive_days": conn.InactiveDays},
		}); err != nil {
			return err
		}
		return s.reconcileAlerts(ctx, tx, connID)
	})
}
