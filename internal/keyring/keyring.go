package keyring

import (
	"context"
	"crypto/subtle"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Defaults for the plaintext data key cache.
const (
	DefaultCacheTTL  = 5 * time.Minute
	DefaultCacheSize = 1024
)

// Keyring manages per-organization data keys: it creates them with the
// current wrapper, unwraps them with whichever configured wrapper owns them,
// moves them to the current wrapper on rotation, and seals and opens data
// with them. It keeps plaintext data keys in a small, short-lived cache.
// A Keyring is safe for concurrent use.
type Keyring struct {
	current  Wrapper
	previous []Wrapper
	cache    *cache
}

// New returns a Keyring that creates data keys with current and also unwraps
// keys made by previous wrappers, so that they can be rewrapped during
// rotation. It uses the system clock, DefaultCacheTTL and DefaultCacheSize.
// New panics if current is nil.
func New(current Wrapper, previous ...Wrapper) *Keyring {
	if current == nil {
		panic("keyring: New needs a current wrapper")
	}
	return &Keyring{
		current:  current,
		previous: slices.Clone(previous),
		cache:    newCache(time.Now, DefaultCacheTTL, DefaultCacheSize),
	}
}

// WithClock returns a copy of k, with an empty cache, that reads the time
// from now.
func (k *Keyring) WithClock(now func() time.Time) *Keyring {
	return k.withCache(newCache(now, k.cache.ttl, k.cache.size))
}

// WithCacheTTL returns a copy of k, with an empty cache, that keeps plaintext
// data keys for ttl. A ttl of zero or less disables the cache.
func (k *Keyring) WithCacheTTL(ttl time.Duration) *Keyring {
	return k.withCache(newCache(k.cache.now, ttl, k.cache.size))
}

// WithCacheSize returns a copy of k, with an empty cache, that holds at most
// size plaintext data keys. A size of zero or less disables the cache.
func (k *Keyring) WithCacheSize(size int) *Keyring {
	return k.withCache(newCache(k.cache.now, k.cache.ttl, size))
}

// withCache returns a copy of k that uses c.
func (k *Keyring) withCache(c *cache) *Keyring {
	return &Keyring{current: k.current, previous: k.previous, cache: c}
}

// CurrentID returns the ID of the current wrapper.
func (k *Keyring) CurrentID() string {
	return k.current.ID()
}

// NeedsRewrap reports whether wrapped was made by a wrapper other than the
// current one, so that Rewrap would change it.
func (k *Keyring) NeedsRewrap(wrapped []byte) bool {
	return !k.current.Owns(wrapped)
}

// NewDataKey generates a data key for orgID with the current wrapper and
// returns its wrapped form, the only form to store.
func (k *Keyring) NewDataKey(ctx context.Context, orgID uuid.UUID) ([]byte, error) {
	key, wrapped, err := k.current.GenerateDataKey(ctx, orgID)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	if err := checkDataKey(k.current, key); err != nil {
		return nil, err
	}
	k.cache.put(newCacheID(orgID, wrapped), key)
	return wrapped, nil
}

// Rewrap unwraps wrapped with the wrapper that owns it and wraps the same
// data key with the current wrapper. If the current wrapper already owns
// wrapped, Rewrap returns it unchanged and changed is false. Data sealed with
// the data key stays readable either way.
//
// Before returning a new wrapping, Rewrap unwraps it again with the current
// wrapper and checks that it yields the same data key, so a key that can
// wrap but not unwrap (a KMS key policy allowing Encrypt but not Decrypt)
// fails here rather than after the old wrapping is gone.
func (k *Keyring) Rewrap(ctx context.Context, orgID uuid.UUID, wrapped []byte) (newWrapped []byte, changed bool, err error) {
	if k.current.Owns(wrapped) {
		return wrapped, false, nil
	}
	key, err := k.dataKey(ctx, orgID, wrapped)
	if err != nil {
		return nil, false, err
	}
	defer clear(key)
	newWrapped, err = k.current.Wrap(ctx, orgID, key)
	if err != nil {
		return nil, false, err
	}
	check, err := k.current.Unwrap(ctx, orgID, newWrapped)
	if err != nil {
		return nil, false, fmt.Errorf("keyring: %s: the rewrapped data key for org %s does not unwrap: %w", k.current.ID(), orgID, err)
	}
	defer clear(check)
	if subtle.ConstantTimeCompare(check, key) != 1 {
		return nil, false, fmt.Errorf("keyring: %s: the rewrapped data key for org %s unwraps to another key", k.current.ID(), orgID)
	}
	k.cache.put(newCacheID(orgID, newWrapped), key)
	return newWrapped, true, nil
}

// dataKey returns a copy of the plaintext data key of wrapped, from the cache
// or from the wrapper that owns it. The caller clears it.
func (k *Keyring) dataKey(ctx context.Context, orgID uuid.UUID, wrapped []byte) ([]byte, error) {
	id := newCacheID(orgID, wrapped)
	if key, ok := k.cache.get(id); ok {
		return key, nil
	}
	w := k.owner(wrapped)
	if w == nil {
		return nil, fmt.Errorf("keyring: unwrap data key for org %s: %w", orgID, ErrUnknownWrapper)
	}
	key, err := w.Unwrap(ctx, orgID, wrapped)
	if err != nil {
		return nil, err
	}
	if err := checkDataKey(w, key); err != nil {
		clear(key)
		return nil, err
	}
	k.cache.put(id, key)
	return key, nil
}

// owner returns the wrapper that owns wrapped, or nil.
func (k *Keyring) owner(wrapped []byte) Wrapper {
	if k.current.Owns(wrapped) {
		return k.current
	}
	for _, w := range k.previous {
		if w.Owns(wrapped) {
			return w
		}
	}
	return nil
}

// checkDataKey rejects a data key of the wrong size from w, which would
// otherwise silently select AES-128 or AES-192.
func checkDataKey(w Wrapper, key []byte) error {
	if len(key) != DataKeySize {
		return fmt.Errorf("keyring: %s returned a %d-byte data key, want %d", w.ID(), len(key), DataKeySize)
	}
	return nil
}
