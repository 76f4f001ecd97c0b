package connection

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"

	"github.com/google/uuid"
)

// A state names its organization (so the callback can open the right
// organization scope before anything is known) and carries 32 random bytes; only
// its SHA-256 is stored.
const stateRandomLen = 32

func newState(orgID uuid.UUID) string {
	b := make([]byte, 16+stateRandomLen)
	copy(b, orgID[:])
	_, _ = rand.Read(b[16:])
	return base64.RawURLEncoding.EncodeToString(b)
}

var errMalformedState = errors.New("malformed state")

func parseState(state string) (uuid.UUID, []byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(state)
	if err != nil || len(b) != 16+stateRandomLen {
		return uuid.Nil, nil, errMalformedState
	}
	org, err := uuid.FromBytes(b[:16])
	if err != nil {
		return uuid.Nil, nil, errMalformedState
	}
	h := sha256.Sum256([]byte(state))
	return org, h[:], nil
}

// StateOrg is the organization a callback's state names, if the state is
// well formed. It proves nothing about the state: the caller uses it only to
// refuse, before Complete, a state of an organization the user is not
// signed into, so that nothing is written there.
func StateOrg(state string) (uuid.UUID, bool) {
	org, _, err := parseState(state)
	return org, err == nil
}

func hashState(state string) []byte {
	h := sha256.Sum256([]byte(state))
	return h[:]
}
