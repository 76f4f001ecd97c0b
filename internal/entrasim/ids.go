package entrasim

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	mrand "math/rand/v2"

	"github.com/google/uuid"
)

// seededGUID returns a version-4-shaped GUID drawn from r, so generated data
// is reproducible from the seed.
func seededGUID(r *mrand.Rand) string {
	var b uuid.UUID
	binary.LittleEndian.PutUint64(b[:8], r.Uint64())
	binary.LittleEndian.PutUint64(b[8:], r.Uint64())
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return b.String()
}

// randomGUID returns a random GUID for trace, correlation and request IDs.
func randomGUID() string {
	return uuid.NewString()
}

// randomToken returns an unguessable URL-safe string of n random bytes, for
// authorization codes, tokens and consent flows.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
