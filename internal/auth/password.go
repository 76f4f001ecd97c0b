package auth

import (
	"errors"
	"fmt"
	"strings"
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

// Hasher hashes and checks passwords with argon2id.
type Hasher struct {
	Params argon2id.Params
	// dummy is compared against when an account does not exist, so a missing
	// account takes as long to reject as a wrong password.
	dummy string
}

// NewHasher returns a Hasher with the given parameters.
func NewHasher(p argon2id.Params) (*Hasher, error) {
	h := &Hasher{Params: p}
	dummy, err := argon2id.CreateHash("attest-timing-equalizer", &h.Params)
	if err != nil {
		return nil, fmt.Errorf("auth: hasher: %w", err)
	}
	h.dummy = dummy
	return h, nil
}

// Hash returns the encoded argon2id hash of password.
func (h *Hasher) Hash(password string) (string, error) {
	s, err := argon2id.CreateHash(password, &h.Params)
	if err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	return s, nil
}

// Check reports whether password matches hash; a nil hash (no account, or no
// password set yet) still costs one hash computation and never matches.
func (h *Hasher) Check(password string, hash *string) bool {
	if hash == nil || *hash == "" {
		_, _ = argon2id.ComparePasswordAndHash(password, h.dummy)
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(password, *hash)
	return err == nil && ok
}

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
