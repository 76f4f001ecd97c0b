// Package vault seals and opens a connection's credentials under its
// organization's data key. The data key is created on first use, stored only
// wrapped (in organizations.wrapped_data_key), and bound to the organization
// by the key wrapper's encryption context; every sealed value is bound to its
// organization, connection and purpose as additional data.
package vault

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/keyring"
)

// Purposes of sealed values.
const (
	PurposeClientSecret = "client_secret"
	PurposeRefreshToken = "refresh_token"
	PurposeVerifier     = "pkce_verifier"
)

var q = dbsqlc.New()

// Vault seals credentials with per-organization data keys.
type Vault struct {
	Keyring *keyring.Keyring
}

// Seal encrypts plaintext for one connection and purpose inside tx (scoped to
// orgID), creating the organization's data key if it has none.
func (v *Vault) Seal(ctx context.Context, tx pgx.Tx, orgID, connectionID uuid.UUID, purpose string, plaintext []byte) ([]byte, error) {
	wrapped, err := q.OrgDataKeyForUpdate(ctx, tx, orgID)
	if err != nil {
		return nil, fmt.Errorf("vault: read data key: %w", err)
	}
	if wrapped == nil {
		if wrapped, err = v.Keyring.NewDataKey(ctx, orgID); err != nil {
			return nil, fmt.Errorf("vault: new data key: %w", err)
		}
		if err := q.OrgSetDataKey(ctx, tx, dbsqlc.OrgSetDataKeyParams{ID: orgID, WrappedDataKey: wrapped}); err != nil {
			return nil, fmt.Errorf("vault: store data key: %w", err)
		}
	}
	sealed, err := v.Keyring.Seal(ctx, orgID, wrapped, aad(orgID, connectionID, purpose), plaintext)
	if err != nil {
		return nil, fmt.Errorf("vault: seal %s: %w", purpose, err)
	}
	return sealed, nil
}

// Open decrypts a value sealed by Seal.
func (v *Vault) Open(ctx context.Context, tx pgx.Tx, orgID, connectionID uuid.UUID, purpose string, sealed []byte) ([]byte, error) {
	if len(sealed) == 0 {
		return nil, fmt.Errorf("vault: no sealed %s", purpose)
	}
	wrapped, err := q.OrgDataKey(ctx, tx, orgID)
	if err != nil {
		return nil, fmt.Errorf("vault: read data key: %w", err)
	}
	plain, err := v.Keyring.Open(ctx, orgID, wrapped, aad(orgID, connectionID, purpose), sealed)
	if err != nil {
		return nil, fmt.Errorf("vault: open %s: %w", purpose, err)
	}
	return plain, nil
}

func aad(orgID, connectionID uuid.UUID, purpose string) keyring.AAD {
	return keyring.AAD{OrgID: orgID, ConnectionID: connectionID, Purpose: purpose}
}
