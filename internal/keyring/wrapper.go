package keyring

import (
	"context"

	"github.com/google/uuid"
)

// DataKeySize is the size in bytes of a data key: an AES-256 key.
const DataKeySize = 32

// Wrapper wraps and unwraps per-organization data keys with a key-encryption
// key it never reveals. Every operation binds the data key to its
// organization through the encryption context {"org_id": orgID}, so a wrapped
// key only unwraps for the organization it was made for.
//
// Errors are prefixed "keyring:" and never contain key material.
type Wrapper interface {
	// ID returns a stable identifier of the wrapping key, such as
	// "local:0123456789abcdef" or "kms:alias/attest".
	ID() string
	// GenerateDataKey returns a new random DataKeySize-byte data key for
	// orgID, in plaintext and wrapped. The caller clears plaintext after use.
	GenerateDataKey(ctx context.Context, orgID uuid.UUID) (plaintext, wrapped []byte, err error)
	// Wrap wraps an existing data key for orgID; a Keyring uses it to move a
	// key to a new wrapper during rotation.
	Wrap(ctx context.Context, orgID uuid.UUID, plaintext []byte) ([]byte, error)
	// Unwrap returns the plaintext data key of a blob this wrapper produced
	// for orgID. The caller clears it after use.
	Unwrap(ctx context.Context, orgID uuid.UUID, wrapped []byte) ([]byte, error)
	// Owns reports, from the blob's header, whether this wrapper produced it.
	Owns(wrapped []byte) bool
}
