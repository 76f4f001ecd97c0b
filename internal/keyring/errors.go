package keyring

import "errors"

// ErrInvalidCiphertext is wrapped by errors that come from authentication
// failures: a wrapped data key or sealed message that was tampered with, or
// that is opened for another organization, connection or purpose. For KMS it
// wraps the service's InvalidCiphertextException.
var ErrInvalidCiphertext = errors.New("ciphertext failed authentication (wrong organization or additional data, or corrupted bytes)")

// ErrUnknownWrapper is wrapped by errors for a wrapped data key that none of
// the keyring's wrappers owns, for example because the previous wrapper that
// produced it is no longer configured.
var ErrUnknownWrapper = errors.New("no configured wrapper owns the wrapped data key")
