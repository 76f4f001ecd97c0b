package keyring

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"fmt"

	"github.com/google/uuid"
)

// LocalWrapper wraps data keys with AES-256-GCM under a master key held in
// process memory, for development. The additional data of every wrapped key
// is the canonical encoding of its encryption context. Open one with
// OpenLocalKeyFile.
type LocalWrapper struct {
	aead cipher.AEAD
	id   localKeyID
}

// newLocalWrapper returns a LocalWrapper for a DataKeySize-byte master key.
// It keeps no reference to key, which the caller may clear.
func newLocalWrapper(key []byte) (*LocalWrapper, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, fmt.Errorf("keyring: local master key: %w", err)
	}
	sum := sha256.Sum256(key)
	w := &LocalWrapper{aead: aead}
	copy(w.id[:], sum[:])
	return w, nil
}

// ID returns "local:" followed by the first 16 hex digits of sha256(master key).
func (w *LocalWrapper) ID() string {
	return w.id.name()
}

// GenerateDataKey returns a new random data key for orgID and its wrapped form.
func (w *LocalWrapper) GenerateDataKey(ctx context.Context, orgID uuid.UUID) (plaintext, wrapped []byte, err error) {
	plaintext = make([]byte, DataKeySize)
	rand.Read(plaintext)
	wrapped, err = w.Wrap(ctx, orgID, plaintext)
	if err != nil {
		clear(plaintext)
		return nil, nil, err
	}
	return plaintext, wrapped, nil
}

// Wrap seals plaintext for orgID under the master key.
func (w *LocalWrapper) Wrap(_ context.Context, orgID uuid.UUID, plaintext []byte) ([]byte, error) {
	header := appendLocalHeader(nil, w.id)
	return w.aead.Seal(header, nil, plaintext, canonicalContext(encryptionContext(orgID))), nil
}

// Unwrap opens a blob this wrapper produced for orgID. It fails with
// ErrInvalidCiphertext for another organization or a tampered blob.
func (w *LocalWrapper) Unwrap(_ context.Context, orgID uuid.UUID, wrapped []byte) ([]byte, error) {
	id, sealed, ok := parseLocal(wrapped)
	if !ok || id != w.id {
		return nil, fmt.Errorf("keyring: %s: unwrap data key for org %s: %w", w.ID(), orgID, ErrUnknownWrapper)
	}
	plaintext, err := w.aead.Open(nil, nil, sealed, canonicalContext(encryptionContext(orgID)))
	if err != nil {
		return nil, fmt.Errorf("keyring: %s: unwrap data key for org %s: %w", w.ID(), orgID, ErrInvalidCiphertext)
	}
	return plaintext, nil
}

// Owns reports whether wrapped is a local blob made with this master key.
func (w *LocalWrapper) Owns(wrapped []byte) bool {
	id, _, ok := parseLocal(wrapped)
	return ok && id == w.id
}
