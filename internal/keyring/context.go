package keyring

import (
	"encoding/binary"
	"maps"
	"slices"

	"github.com/google/uuid"
)

// orgIDContextKey is the only key of every data key's encryption context.
// KMS records the context in CloudTrail, so it must never hold secrets.
const orgIDContextKey = "org_id"

// encryptionContext returns the encryption context that binds a data key to
// its organization.
func encryptionContext(orgID uuid.UUID) map[string]string {
	return map[string]string{orgIDContextKey: orgID.String()}
}

// canonicalContext encodes an encryption context unambiguously: keys in
// sorted order, each key and value length-prefixed.
func canonicalContext(ec map[string]string) []byte {
	var b []byte
	for _, k := range slices.Sorted(maps.Keys(ec)) {
		b = appendLenPrefixed(b, []byte(k))
		b = appendLenPrefixed(b, []byte(ec[k]))
	}
	return b
}

// appendLenPrefixed appends field to b after its length as a big-endian uint32.
func appendLenPrefixed(b, field []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(field)))
	return append(b, field...)
}
