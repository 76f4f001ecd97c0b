package vault

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// Reseal opens a value sealed for one connection and purpose under the data
// key wrapped as from, and seals it again under the data key wrapped as to,
// for the same connection and purpose. An empty value stays empty. The
// plaintext lives only in memory, and is cleared before Reseal returns.
func (v *Vault) Reseal(ctx context.Context, orgID, connectionID uuid.UUID, purpose string, from, to, sealed []byte) ([]byte, error) {
	if len(sealed) == 0 {
		return sealed, nil
	}
	ad := aad(orgID, connectionID, purpose)
	plain, err := v.Keyring.Open(ctx, orgID, from, ad, sealed)
	if err != nil {
		return nil, fmt.Errorf("vault: reseal %s of connection %s: %w", purpose, connectionID, err)
	}
	defer clear(plain)
	resealed, err := v.Keyring.Seal(ctx, orgID, to, ad, plain)
	if err != nil {
		return nil, fmt.Errorf("vault: reseal %s of connection %s: %w", purpose, connectionID, err)
	}
	return resealed, nil
}
