package keyring

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"fmt"

	"github.com/google/uuid"
)

// sealVersion is the first byte of every sealed message: version | nonce (12
// bytes) | AES-256-GCM ciphertext and tag.
const sealVersion byte = 1

// AAD is the additional data bound to a sealed message. Opening with an AAD
// that differs in any field fails.
type AAD struct {
	// OrgID is the organization that owns the data; it must equal the orgID
	// passed to Seal and Open.
	OrgID uuid.UUID
	// ConnectionID is the connection the secret belongs to.
	ConnectionID uuid.UUID
	// Purpose names what the secret is, such as "client_secret" or
	// "refresh_token", so one secret cannot stand in for another.
	Purpose string
}

// encode returns the canonical encoding of a: each field length-prefixed.
func (a AAD) encode() []byte {
	b := appendLenPrefixed(nil, a.OrgID[:])
	b = appendLenPrefixed(b, a.ConnectionID[:])
	return appendLenPrefixed(b, []byte(a.Purpose))
}

// Seal encrypts plaintext for orgID with the data key wrappedDEK, using
// AES-256-GCM with a random nonce and aad as additional data.
func (k *Keyring) Seal(ctx context.Context, orgID uuid.UUID, wrappedDEK []byte, aad AAD, plaintext []byte) ([]byte, error) {
	aead, err := k.aead(ctx, orgID, wrappedDEK, aad)
	if err != nil {
		return nil, err
	}
	return aead.Seal([]byte{sealVersion}, nil, plaintext, aad.encode()), nil
}

// Open decrypts a message made by Seal with the same orgID, data key and
// aad. It fails with ErrInvalidCiphertext if any of them differs or sealed
// was modified.
func (k *Keyring) Open(ctx context.Context, orgID uuid.UUID, wrappedDEK []byte, aad AAD, sealed []byte) ([]byte, error) {
	if len(sealed) == 0 || sealed[0] != sealVersion {
		return nil, fmt.Errorf("keyring: open for org %s: unknown sealed format: %w", orgID, ErrInvalidCiphertext)
	}
	aead, err := k.aead(ctx, orgID, wrappedDEK, aad)
	if err != nil {
		return nil, err
	}
	plaintext, err := aead.Open(nil, nil, sealed[1:], aad.encode())
	if err != nil {
		return nil, fmt.Errorf("keyring: open for org %s, connection %s, purpose %q: %w", orgID, aad.ConnectionID, aad.Purpose, ErrInvalidCiphertext)
	}
	return plaintext, nil
}

// aead returns the AES-256-GCM cipher for the data key wrappedDEK of orgID.
func (k *Keyring) aead(ctx context.Context, orgID uuid.UUID, wrappedDEK []byte, aad AAD) (cipher.AEAD, error) {
	if aad.OrgID != orgID {
		return nil, fmt.Errorf("keyring: additional data is for org %s, not org %s", aad.OrgID, orgID)
	}
	key, err := k.dataKey(ctx, orgID, wrappedDEK)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	aead, err := newGCM(key)
	if err != nil {
		return nil, fmt.Errorf("keyring: data key for org %s: %w", orgID, err)
	}
	return aead, nil
}

// newGCM returns AES-GCM for key that draws a random 12-byte nonce for every
// Seal and puts it in front of the ciphertext.
func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(block)
}
