package evidence

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"

	"github.com/attesthq/attest/internal/connector"
)

// Fingerprint is SHA-256 over a length-prefixed encoding of the record's
// kind, schema version, subject and canonical payload.
func Fingerprint(r connector.Record) [32]byte {
	h := sha256.New()
	for _, part := range [][]byte{[]byte("attest-evidence-v1"), []byte(r.Kind), []byte(strconv.Itoa(r.SchemaVersion)), []byte(r.SubjectKey), r.Payload} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(part)))
		h.Write(n[:])
		h.Write(part)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}
