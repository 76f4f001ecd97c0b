package auth

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
)

// Password length limits: long enough to resist guessing, short enough that
// hashing an attacker's input stays cheap.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// ProductionParams are the argon2id parameters for stored passwords (OWASP's
// 46 MiB, one pass, one lane).
var ProductionParams = argon2id.Params{Memory: 46 * 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// DefaultHashWait is how long a password check waits for a free hashing
// slot before the attempt is turned away as busy.
const DefaultHashWait = 2 * time.Second

// ErrBusy means every hashing slot stayed taken for the whole wait: the
// password was not checked.
var ErrBusy = errors.New("auth: password hashing is busy")

// Hasher hashes and checks passwords with argon2id. Each hash holds
// Params.Memory for its duration, so at most one per CPU (runtime.GOMAXPROCS)
// runs at once, and its memory is reclaimed as soon as it ends: a burst of
// sign-ins queues for a slot instead of multiplying the memory. Build it
// with NewHasher.
type Hasher struct {
	Params argon2id.Params
	// Wait bounds how long Check queues for a slot (DefaultHashWait).
	Wait time.Duration
	// slots holds one token per hash running.
	slots chan struct{}
	// checks counts the password checks that ran (each one hash).
	checks atomic.Int64
	// dummy is compared against when an account does not exist, so a missing
	// account takes as long to reject as a wrong password.
	dummy string
}

// NewHasher returns a Hasher with the given parameters and one slot per
// CPU.
func NewHasher(p argon2id.Params) (*Hasher, error) {
	h := &Hasher{Params: p, Wait: DefaultHashWait, slots: make(chan struct{}, runtime.GOMAXPROCS(0))}
	dummy, err := argon2id.CreateHash("attest-timing-equalizer", &h.Params)
	if err != nil {
		return nil, fmt.Errorf("auth: hasher: %w", err)
	}
	h.dummy = dummy
	return h, nil
}

// Hash returns the encoded argon2id hash of password, waiting as long as it
// takes for a slot (setting a password is rare and already authorized).
func (h *Hasher) Hash(password string) (string, error) {
	h.slots <- struct{}{}
	defer h.release()
	s, err := argon2id.CreateHash(password, &h.Params)
	if err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	return s, nil
}

// Check reports whether password matches hash; a nil hash (no account, or no
// password set yet) still costs one hash computation, in a slot like any
// other, and never matches. When no slot frees up within Wait (or ctx ends
// first) it returns ErrBusy without hashing.
func (h *Hasher) Check(ctx context.Context, password string, hash *string) (bool, error) {
	wait := time.NewTimer(h.Wait)
	defer wait.Stop()
	select {
	case h.slots <- struct{}{}:
	case <-wait.C:
		return false, ErrBusy
	case <-ctx.Done():
		return false, ErrBusy
	}
	defer h.release()
	h.checks.Add(1)
	if hash == nil || *hash == "" {
		_, _ = argon2id.ComparePasswordAndHash(password, h.dummy)
		return false, nil
	}
	ok, err := argon2id.ComparePasswordAndHash(password, *hash)
	return err == nil && ok, nil
}

// release has the collector reclaim the finished hash's memory and then
// frees its slot, so no more than one hash's worth of memory per slot is
// ever held. Left to the pacer, the heap grows to about twice the hashes in
// flight before a collection: a burst of 200 sign-ins on 2 CPUs peaked at
// 290-320 MiB of RSS that way, and at 150-180 MiB collecting before each slot
// is freed (bench/results.md). One collection per hash costs a few
// milliseconds, small next to the hash itself.
func (h *Hasher) release() {
	runtime.GC()
	<-h.slots
}

// Checks is how many password checks have run, each one argon2id
// computation: what a burst of sign-ins actually cost.
func (h *Hasher) Checks() int64 { return h.checks.Load() }

// ErrWeakPassword explains why a new password is refused.
var ErrWeakPassword = errors.New("password")

// ValidatePassword checks a new password against the policy.
func ValidatePassword(password, email string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLen:
		return fmt.Errorf("%w must be at least %d characters", ErrWeakPassword, MinPasswordLen)
	case len(password) > MaxPasswordLen:
		return fmt.Errorf("%w must be at most %d bytes", ErrWeakPassword, MaxPasswordLen)
	case strings.EqualFold(strings.TrimSpace(password), strings.TrimSpace(email)):
		return fmt.Errorf("%w must not be your email address", ErrWeakPassword)
	}
	return nil
}
