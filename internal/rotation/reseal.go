package rotation

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/keyring"
	"github.com/attesthq/attest/internal/vault"
)

// ResealResult is what Reseal did.
type ResealResult struct {
	OrgID uuid.UUID
	Slug  string
	// NoDataKey is true when the organization had no data key, so nothing
	// was sealed and nothing changed.
	NoDataKey bool
	// From names the key that wrapped the old data key, To the current key,
	// which wraps the new one.
	From, To string
	// Connections is how many connections held sealed credentials,
	// Authorizations how many authorization flows held a sealed verifier
	// (recent ones, finished or not, until expired flows are purged), and
	// Sealed how many sealed values were re-encrypted in all.
	Connections, Authorizations, Sealed int
}

// Reseal gives the organization a new data key, wrapped by the current key,
// and re-encrypts every sealed value of its connections (client secrets,
// refresh tokens) and of its authorization flows (PKCE verifiers) under
// it, in one transaction that locks the organization's row and those rows:
// it happens entirely or not at all. It is audited as keys.reseal.
func (s *Service) Reseal(ctx context.Context, orgID uuid.UUID, actor audit.Actor) (ResealResult, error) {
	// Without a cache, the first value sealed under the new data key unwraps
	// it with the current key: a key that cannot unwrap fails here, before
	// anything is committed.
	v := &vault.Vault{Keyring: s.Vault.Keyring.WithCacheSize(0)}
	res := ResealResult{OrgID: orgID, To: v.Keyring.CurrentID()}
	err := db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		org, err := q.OrgKeyGetForUpdate(ctx, tx, orgID)
		if err != nil {
			return fmt.Errorf("rotation: lock organization: %w", err)
		}
		res.Slug, res.From = org.Slug, keyring.WrappedBy(org.WrappedDataKey)
		if org.WrappedDataKey == nil {
			res.NoDataKey = true
			return nil
		}
		conns, err := q.ConnectionCredentialsListForUpdate(ctx, tx)
		if err != nil {
			return fmt.Errorf("rotation: lock connections: %w", err)
		}
		flows, err := q.OAuthFlowVerifiersListForUpdate(ctx, tx)
		if err != nil {
			return fmt.Errorf("rotation: lock authorizations: %w", err)
		}
		fresh, err := v.Keyring.NewDataKey(ctx, orgID)
		if err != nil {
			return fmt.Errorf("rotation: new data key: %w", err)
		}
		reseal := func(connID uuid.UUID, purpose string, sealed []byte) ([]byte, error) {
			if sealed != nil {
				res.Sealed++
			}
			return v.Reseal(ctx, orgID, connID, purpose, org.WrappedDataKey, fresh, sealed)
		}
		for _, c := range conns {
			p := dbsqlc.ConnectionCredentialsSetParams{ID: c.ID}
			if p.ClientSecretSealed, err = reseal(c.ID, vault.PurposeClientSecret, c.ClientSecretSealed); err != nil {
				return fmt.Errorf("rotation: %w", err)
			}
			if p.RefreshTokenSealed, err = reseal(c.ID, vault.PurposeRefreshToken, c.RefreshTokenSealed); err != nil {
				return fmt.Errorf("rotation: %w", err)
			}
			if err := q.ConnectionCredentialsSet(ctx, tx, p); err != nil {
				return fmt.Errorf("rotation: store credentials: %w", err)
			}
		}
		for _, f := range flows {
			sealed, err := reseal(f.ConnectionID, vault.PurposeVerifier, f.VerifierSealed)
			if err != nil {
				return fmt.Errorf("rotation: %w", err)
			}
			if err := q.OAuthFlowVerifierSet(ctx, tx, dbsqlc.OAuthFlowVerifierSetParams{StateHash: f.StateHash, VerifierSealed: sealed}); err != nil {
				return fmt.Errorf("rotation: store verifier: %w", err)
			}
		}
		if err := q.OrgSetDataKey(ctx, tx, dbsqlc.OrgSetDataKeyParams{ID: orgID, WrappedDataKey: fresh}); err != nil {
			return fmt.Errorf("rotation: store data key: %w", err)
		}
		res.Connections, res.Authorizations = len(conns), len(flows)
		return audit.Record(ctx, tx, orgID, s.Clock.Now(), actor, audit.Event{
			Action: "keys.reseal", TargetType: "organization", TargetID: orgID.String(),
			Details: map[string]any{"from_key": res.From, "to_key": res.To, "connections": res.Connections,
				"authorizations": res.Authorizations, "sealed": res.Sealed},
		})
	})
	if err != nil {
		return ResealResult{OrgID: orgID, Slug: res.Slug}, err
	}
	return res, nil
}
