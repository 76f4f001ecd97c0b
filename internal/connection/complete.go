package connection

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/pgtext"
	"github.com/attesthq/attest/internal/secret"
	"github.com/attesthq/attest/internal/syncer"
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
	Purpose      Purpose
	// Problem explains a failure; nil on success.
	Problem *connector.Problem
	// MissingScopes lists requested permissions the grant lacks.
	MissingScopes []string
	// Next, when not the zero Target, is the authorization's next browser
	// step (the connector's grant asked to continue).
	Next Target
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
// records the provider's error or a consent, or has the connector complete
// the authorization (redeem a code, verify an installation).
func (s *Service) Complete(ctx context.Context, key string, user User, params url.Values) (Outcome, error) {
	c := s.Registry.Get(key)
	if c == nil {
		return Outcome{}, ErrNotFound
	}
	a, redirects := connector.AuthorizerOf(c)
	if !redirects {
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
	purpose := Purpose(fc.flow.Purpose)
	out := Outcome{OrgID: orgID, ConnectionID: fc.conn.ID, Purpose: purpose}
	action := auditAction(purpose)

	if p := a.CallbackProblem(params); p != nil {
		out.Problem = p
		return out, s.recordFailure(ctx, fc, user, action, *p, map[string]string{
			"error": params.Get("error"), "error_subcode": params.Get("error_subcode"),
		})
	}
	if purpose == PurposeConsent {
		return out, s.record(ctx, fc, user, audit.Event{Action: action, Details: map[string]any{
			"params": callbackFacts(params),
		}})
	}
	grant, err := a.Exchange(ctx, connector.ExchangeRequest{Settings: fc.conn.Settings, Credentials: connector.Credentials{Secret: fc.clientSecret},
		RedirectURI: fc.flow.RedirectUri, Params: params, Verifier: fc.verifier})
	if err != nil {
		p := a.DescribeError(err, fc.flow.RedirectUri)
		out.Problem = &p
		return out, s.recordFailure(ctx, fc, user, action, p, nil)
	}
	out.MissingScopes = grant.MissingScopes
	return out, db.InOrg(ctx, s.Pool, fc.conn.OrgID, func(tx pgx.Tx) error {
		if grant.Continue {
			out.Next, err = s.continueFlow(ctx, tx, a, fc.conn, user, purpose, grant)
			return err
		}
		return s.activate(ctx, tx, fc.conn, user, purpose, grant)
	})
}

// continueFlow stores what a step of a several-step authorization yielded
// (sealed) and starts the next step's flow, the connection's status
// unchanged.
func (s *Service) continueFlow(ctx context.Context, tx pgx.Tx, a connector.Authorizer, conn dbsqlc.Connection, user User, purpose Purpose, g connector.Grant) (Target, error) {
	if err := s.replaceSetup(ctx, tx, conn, g); err != nil {
		return Target{}, err
	}
	if g.Settings != nil {
		conn.Settings = g.Settings
	}
	now := s.Clock.Now()
	if err := audit.Record(ctx, tx, conn.OrgID, now, user.actor(), audit.Event{
		Action: auditAction(purpose) + "_continued", TargetType: "connection", TargetID: conn.ID.String(),
		Details: map[string]any{"purpose": purpose, "new_secret": g.Secret.Reveal() != ""},
	}); err != nil {
		return Target{}, err
	}
	return s.newFlow(ctx, tx, a, conn, user, purpose, now)
}

// auditAction names a flow's audit action.
func auditAction(p Purpose) string {
	if p == PurposeConnect {
		return "connection.connect"
	}
	return "connection." + string(p)
}

// maxCallbackFacts bounds what a consent callback can put in the audit log.
const maxCallbackFacts = 8

// callbackFacts keeps what a consent callback says (the provider's own
// parameters, such as whether consent was given), without its state or a
// code, bounded in number and length.
func callbackFacts(params url.Values) map[string]string {
	out := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(params)) {
		if k == "state" || k == "code" || len(out) == maxCallbackFacts {
			continue
		}
		out[pgtext.Cut(k, 64)] = pgtext.Cut(params.Get(k), 200)
	}
	return out
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
		if Purpose(flow.Purpose) == PurposeConsent {
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
func (s *Service) recordFailure(ctx context.Context, fc flowContext, user User, action string, p connector.Problem, extra map[string]string) error {
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
		if connector.Status(fc.conn.Status) == connector.StatusPending {
			if err := q.ConnectionSetStatusReason(ctx, tx, dbsqlc.ConnectionSetStatusReasonParams{ID: fc.conn.ID, StatusReason: p.Title}); err != nil {
				return fmt.Errorf("connection: set reason: %w", err)
			}
		}
		return audit.Record(ctx, tx, fc.conn.OrgID, s.Clock.Now(), user.actor(), audit.Event{
			Action: action + "_failed", TargetType: "connection", TargetID: fc.conn.ID.String(), Details: details,
		})
	})
}

// activate seals what the grant yielded, makes the connection active and
// queues its first sync, all in tx with the audit row.
func (s *Service) activate(ctx context.Context, tx pgx.Tx, conn dbsqlc.Connection, user User, purpose Purpose, g connector.Grant) error {
	now := s.Clock.Now()
	if g.Secret.Reveal() != "" || g.Settings != nil {
		if err := s.replaceSetup(ctx, tx, conn, g); err != nil {
			return err
		}
	}
	var sealed []byte
	if g.Token.Reveal() != "" {
		var err error
		if sealed, err = s.Vault.Seal(ctx, tx, conn.OrgID, conn.ID, vault.PurposeRefreshToken, []byte(g.Token.Reveal())); err != nil {
			return err
		}
	}
	if g.Scopes == nil {
		g.Scopes = []string{} // a kind without scopes (a static token) grants none by name
	}
	reason := ""
	if len(g.MissingScopes) > 0 {
		reason = "Not granted: " + strings.Join(g.MissingScopes, ", ")
	}
	if err := q.ConnectionActivate(ctx, tx, dbsqlc.ConnectionActivateParams{
		ID: conn.ID, StatusReason: reason, RefreshTokenSealed: sealed, GrantedScopes: g.Scopes,
		ConsentedBy: g.ConsentedBy, Now: now,
	}); err != nil {
		return fmt.Errorf("connection: activate: %w", err)
	}
	details := map[string]any{"purpose": purpose, "scopes": g.Scopes, "consented_by": g.ConsentedBy}
	if len(g.MissingScopes) > 0 {
		details["missing_scopes"] = g.MissingScopes
	}
	if err := audit.Record(ctx, tx, conn.OrgID, now, user.actor(), audit.Event{
		Action: auditAction(purpose), TargetType: "connection", TargetID: conn.ID.String(), Details: details,
	}); err != nil {
		return err
	}
	if err := s.reconcileAlerts(ctx, tx, conn.ID); err != nil {
		return err
	}
	if s.Syncs == nil {
		return nil
	}
	trigger := syncer.TriggerFirst
	if purpose == PurposeReauth {
		trigger = syncer.TriggerManual
	}
	return s.Syncs.EnqueueSync(ctx, tx, conn.OrgID, conn.ID, trigger)
}

// replaceSetup stores the secret and settings an authorization yielded
// (an app's private key, a verified installation).
func (s *Service) replaceSetup(ctx context.Context, tx pgx.Tx, conn dbsqlc.Connection, g connector.Grant) error {
	sealed := conn.ClientSecretSealed
	if g.Secret.Reveal() != "" {
		var err error
		if sealed, err = s.Vault.Seal(ctx, tx, conn.OrgID, conn.ID, vault.PurposeClientSecret, []byte(g.Secret.Reveal())); err != nil {
			return err
		}
	}
	settings := conn.Settings
	if g.Settings != nil {
		settings = g.Settings
	}
	if err := q.ConnectionUpdateSetup(ctx, tx, dbsqlc.ConnectionUpdateSetupParams{
		ID: conn.ID, DisplayName: conn.DisplayName, Settings: settings, ClientSecretSealed: sealed,
	}); err != nil {
		return fmt.Errorf("connection: store what the authorization yielded: %w", err)
	}
	return nil
}

// Revoke soft-deletes a connection: status revoked, deleted_at set, sealed
// credentials and stored conditional-request answers cleared; its evidence
// and run history stay.
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
		// The stored answers behind conditional requests are copies of what
		// the provider said: they go with the connection, not with the
		// evidence's retention.
		if err := q.ValidatorsDeleteForConnection(ctx, tx, connID); err != nil {
			return fmt.Errorf("connection: revoke: forget validators: %w", err)
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
