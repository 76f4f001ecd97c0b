package connection

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/oauth2"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/alert"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/syncer"
	"github.com/attesthq/attest/internal/vault"
)

var q = dbsqlc.New()

// Purpose is why an authorization flow was started (oauth_flows.purpose).
type Purpose string

// Flow purposes.
const (
	// PurposeConnect authorizes a new (pending) connection.
	PurposeConnect Purpose = "connect"
	// PurposeReauth authorizes an existing connection again.
	PurposeReauth Purpose = "reauth"
	// PurposeConsent sends an administrator to the provider's consent page
	// (the connector's consent capability).
	PurposeConsent Purpose = "consent"
)

// flowTTL is how long a started authorization may take.
const flowTTL = 10 * time.Minute

// Errors callers show to people.
var (
	ErrAlreadyConnected = errors.New("connection: this account is already connected")
	// ErrNoCapability: the connector does not declare what was asked.
	ErrNoCapability = errors.New("connection: the connector does not offer this")
	ErrNotFound     = errors.New("connection: not found")
	ErrRevoked      = errors.New("connection: the connection was revoked")
)

// SyncEnqueuer schedules a connection's sync in the caller's transaction.
type SyncEnqueuer interface {
	EnqueueSync(ctx context.Context, tx pgx.Tx, orgID, connectionID uuid.UUID, trigger syncer.Trigger) error
}

// Service runs connection lifecycles.
type Service struct {
	Pool     *pgxpool.Pool
	Clock    clock.Clock
	Vault    *vault.Vault
	Registry *connector.Registry
	// CallbackURL returns this deployment's redirect URI for a connector.
	CallbackURL func(connectorKey string) string
	// Syncs, when set, receives the first sync of each new connection.
	Syncs SyncEnqueuer
	// Alerts is told when re-authorizing or revoking resolves an alert.
	Alerts alert.Notifier
}

// reconcileAlerts brings the connection's alerts in line with its new
// state, in the transaction that changed it.
func (s *Service) reconcileAlerts(ctx context.Context, tx pgx.Tx, connID uuid.UUID) error {
	conn, err := q.ConnectionGet(ctx, tx, connID)
	if err != nil {
		return fmt.Errorf("connection: reload: %w", err)
	}
	_, _, err = alert.Reconcile(ctx, tx, conn, s.Clock.Now(), s.Alerts)
	return err
}

// User is the signed-in person acting, with the session flows bind to.
type User struct {
	ID          uuid.UUID
	Email       string
	SessionHash []byte
}

func (u User) actor() audit.Actor { return audit.UserActor(u.ID, u.Email) }

// Start creates (or, for an account left pending or needing
// re-authorization, updates) a pending connection from a valid connect
// form, seals its secret, and returns where to send the browser to
// authorize. A connector whose auth kind has no browser round-trip (a
// static token) is active at once: the target is then the zero Target.
func (s *Service) Start(ctx context.Context, orgID uuid.UUID, user User, key string, setup connector.Setup) (Target, uuid.UUID, error) {
	c := s.Registry.Get(key)
	if c == nil {
		return Target{}, uuid.Nil, ErrNotFound
	}
	now := s.Clock.Now()
	var target Target
	var connID uuid.UUID
	err := db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		conn, err := q.ConnectionFindLive(ctx, tx, dbsqlc.ConnectionFindLiveParams{Connector: key, IdentityKey: setup.IdentityKey})
		purpose := PurposeConnect
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			conn, err = q.ConnectionCreate(ctx, tx, dbsqlc.ConnectionCreateParams{
				OrgID: orgID, Connector: key, DisplayName: setup.DisplayName, Settings: setup.Settings,
				IdentityKey: setup.IdentityKey, CreatedAt: now, CreatedBy: &user.ID,
				StaleAfterSeconds: int32(c.Definition().StaleAfter.Seconds()),
			})
			if err != nil {
				return fmt.Errorf("connection: create: %w", err)
			}
			if err := audit.Record(ctx, tx, orgID, now, user.actor(), audit.Event{
				Action: "connection.create", TargetType: "connection", TargetID: conn.ID.String(),
				Details: map[string]any{"connector": key, "name": setup.DisplayName, "settings": json.RawMessage(setup.Settings)},
			}); err != nil {
				return err
			}
		case err != nil:
			return fmt.Errorf("connection: find: %w", err)
		case connector.Status(conn.Status) == connector.StatusActive:
			return ErrAlreadyConnected
		default:
			if connector.Status(conn.Status) == connector.StatusNeedsReauth {
				purpose = PurposeReauth
			}
		}
		sealed, err := s.Vault.Seal(ctx, tx, orgID, conn.ID, vault.PurposeClientSecret, []byte(setup.Secret.Reveal()))
		if err != nil {
			return err
		}
		if err := q.ConnectionUpdateSetup(ctx, tx, dbsqlc.ConnectionUpdateSetupParams{
			ID: conn.ID, DisplayName: setup.DisplayName, Settings: setup.Settings, ClientSecretSealed: sealed,
		}); err != nil {
			return fmt.Errorf("connection: store setup: %w", err)
		}
		connID = conn.ID
		a, redirects := connector.AuthorizerOf(c)
		if !redirects {
			conn.Settings = setup.Settings
			return s.activate(ctx, tx, conn, user, purpose, connector.Grant{})
		}
		target, err = s.newFlow(ctx, tx, a, conn, user, purpose, now)
		return err
	})
	return target, connID, err
}

// Reauthorize starts a new authorization for an existing connection.
func (s *Service) Reauthorize(ctx context.Context, orgID uuid.UUID, user User, connID uuid.UUID) (Target, error) {
	return s.flowFor(ctx, orgID, user, connID, PurposeReauth)
}

// Consent starts the provider's consent flow for a connection whose
// connector declares the consent capability (ErrNoCapability otherwise).
func (s *Service) Consent(ctx context.Context, orgID uuid.UUID, user User, connID uuid.UUID) (Target, error) {
	return s.flowFor(ctx, orgID, user, connID, PurposeConsent)
}

func (s *Service) flowFor(ctx context.Context, orgID uuid.UUID, user User, connID uuid.UUID, purpose Purpose) (Target, error) {
	var target Target
	err := db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		conn, err := lockConnection(ctx, tx, connID)
		if err != nil {
			return err
		}
		if conn.DeletedAt != nil {
			return ErrRevoked
		}
		c := s.Registry.Get(conn.Connector)
		if c == nil {
			return ErrNotFound
		}
		a, redirects := connector.AuthorizerOf(c)
		if !redirects || (purpose == PurposeConsent && !c.Definition().Has(connector.CapabilityConsent)) {
			return ErrNoCapability
		}
		if purpose == PurposeReauth && connector.Status(conn.Status) == connector.StatusPending {
			purpose = PurposeConnect
		}
		target, err = s.newFlow(ctx, tx, a, conn, user, purpose, s.Clock.Now())
		return err
	})
	return target, err
}

// newFlow records a single-use state (and sealed PKCE verifier) bound to the
// user's session, organization and connection, and builds the target (a
// FormPoster's form included).
func (s *Service) newFlow(ctx context.Context, tx pgx.Tx, a connector.Authorizer, conn dbsqlc.Connection, user User, purpose Purpose, now time.Time) (Target, error) {
	state := newState(conn.OrgID)
	redirect := s.CallbackURL(conn.Connector)
	var sealedVerifier []byte
	var target Target
	var err error
	if purpose == PurposeConsent {
		consenter, ok := a.(connector.Consenter)
		if !ok {
			return Target{}, ErrNoCapability
		}
		target.URL, err = consenter.ConsentURL(conn.Settings, redirect, state)
	} else {
		verifier := oauth2.GenerateVerifier()
		if sealedVerifier, err = s.Vault.Seal(ctx, tx, conn.OrgID, conn.ID, vault.PurposeVerifier, []byte(verifier)); err != nil {
			return Target{}, err
		}
		target.URL, err = a.AuthorizeURL(conn.Settings, redirect, state, verifier)
		if poster, ok := a.(connector.FormPoster); ok && err == nil {
			target.Form, err = poster.AuthorizeForm(conn.Settings, redirect, state)
		}
	}
	if err != nil {
		return Target{}, fmt.Errorf("connection: build authorization URL: %w", err)
	}
	if err := q.OAuthFlowCreate(ctx, tx, dbsqlc.OAuthFlowCreateParams{
		StateHash: hashState(state), OrgID: conn.OrgID, ConnectionID: conn.ID, UserID: user.ID,
		SessionHash: user.SessionHash, Purpose: string(purpose), VerifierSealed: sealedVerifier, RedirectUri: redirect,
		CreatedAt: now, ExpiresAt: now.Add(flowTTL),
	}); err != nil {
		return Target{}, fmt.Errorf("connection: record flow: %w", err)
	}
	return target, nil
}

// lockConnection reads a connection and locks its row for the transaction.
func lockConnection(ctx context.Context, tx pgx.Tx, connID uuid.UUID) (dbsqlc.Connection, error) {
	conn, err := q.ConnectionGetForUpdate(ctx, tx, connID)
	if errors.Is(err, pgx.ErrNoRows) {
		return conn, ErrNotFound
	}
	if err != nil {
		return conn, fmt.Errorf("connection: load: %w", err)
	}
	return conn, nil
}
