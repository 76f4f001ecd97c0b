package evidence

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"

	"github.com/attesthq/attest/internal/connector"
)

// fingerprintDomain opens every fingerprinted message.
const fingerprintDomain = "attest-evidence-v1"

// Fingerprint is SHA-256 over a length-prefixed encoding of the record's
// kind, schema version, subject and canonical payload.
func Fingerprint(r connector.Record) [32]byte {
	var digits [20]byte
	var buf [1024]byte // most records fit, so the message is built without allocating
	msg := appendPart(buf[:0], fingerprintDomain)
	msg = appendPart(msg, r.Kind)
	msg = appendPart(msg, strconv.AppendInt(digits[:0], int64(r.SchemaVersion), 10))
	msg = appendPart(msg, r.SubjectKey)
	msg = appendPart(msg, r.Payload)
	return sha256.Sum256(msg)
}

// appendPart appends p preceded by its length as a big-endian uint64.
func appendPart[T string | []byte](msg []byte, p T) []byte {
	msg = binary.BigEndian.AppendUint64(msg, uint64(len(p)))
	return append(msg, p...)
}
