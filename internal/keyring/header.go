package keyring

import "encoding/hex"

// Wrapped data keys start with a 4-byte magic naming the wrapper kind and the
// format version, so a Keyring can route a blob to the wrapper that made it:
//
//	local: "atl1" | key id (8 bytes) | nonce (12 bytes) | AES-256-GCM ciphertext and tag
//	KMS:   "atk1" | key id length (1 byte) | KMS key id | KMS CiphertextBlob
//
// The local key id is the first 8 bytes of sha256(master key); the KMS key id
// is the configured key id, so a move to another KMS key shows as needing a
// rewrap.
const (
	magicLen      = 4
	localMagic    = "atl1"
	kmsMagic      = "atk1"
	localKeyIDLen = 8
)

// localKeyID identifies the master key of a LocalWrapper inside its blobs.
type localKeyID [localKeyIDLen]byte

// name is the ID of the LocalWrapper with this key id.
func (id localKeyID) name() string { return "local:" + hex.EncodeToString(id[:]) }

// kmsName is the ID of the KMSWrapper for keyID.
func kmsName(keyID string) string { return "kms:" + keyID }

// appendLocalHeader appends the local blob header for id to dst.
func appendLocalHeader(dst []byte, id localKeyID) []byte {
	dst = append(dst, localMagic...)
	return append(dst, id[:]...)
}

// parseLocal splits a local blob into its key id and the GCM nonce with
// ciphertext. ok is false when blob is not a local blob.
func parseLocal(blob []byte) (id localKeyID, sealed []byte, ok bool) {
	if len(blob) <= magicLen+localKeyIDLen || string(blob[:magicLen]) != localMagic {
		return id, nil, false
	}
	copy(id[:], blob[magicLen:])
	return id, blob[magicLen+localKeyIDLen:], true
}

// encodeKMS prefixes a KMS CiphertextBlob with the KMS header naming keyID
// (at most 255 bytes, which every KMS key id, ARN and alias fits).
func encodeKMS(keyID string, ciphertextBlob []byte) []byte {
	out := append([]byte(kmsMagic), byte(len(keyID)))
	out = append(out, keyID...)
	return append(out, ciphertextBlob...)
}

// parseKMS returns the KMS key id and CiphertextBlob inside blob. ok is false
// when blob is not a KMS blob.
func parseKMS(blob []byte) (keyID string, ciphertextBlob []byte, ok bool) {
	if len(blob) <= magicLen+1 || string(blob[:magicLen]) != kmsMagic {
		return "", nil, false
	}
	n := int(blob[magicLen])
	rest := blob[magicLen+1:]
	if len(rest) <= n {
		return "", nil, false
	}
	return string(rest[:n]), rest[n:], true
}

// WrappedBy names the key that wrapped a data key, from its header, in the
// form of [Wrapper.ID] ("local:0123456789abcdef", "kms:alias/attest"), whether
// or not that key is configured. It returns "" for a blob of no known format.
// The name identifies the key without revealing anything of it, so it may be
// logged and audited.
func WrappedBy(wrapped []byte) string {
	if id, _, ok := parseLocal(wrapped); ok {
		return id.name()
	}
	if keyID, _, ok := parseKMS(wrapped); ok {
		return kmsName(keyID)
	}
	return ""
}
