package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// genesis is the previous-hash of an organization's first row.
var genesis = make([]byte, sha256.Size)

// chainRow is what the hash covers: every column but the row's own hash.
type chainRow struct {
	OrgID      uuid.UUID
	Seq        int64
	OccurredAt time.Time
	ActorType  string
	ActorID    *uuid.UUID
	ActorLabel string
	Action     string
	TargetType string
	TargetID   string
	Details    []byte // canonical JSON
	IP         string
	RequestID  string
	PrevHash   []byte
}

// hash is SHA-256 over a versioned, length-prefixed encoding of the row, so
// no two different rows encode to the same bytes.
func (r chainRow) hash() []byte {
	h := sha256.New()
	field := func(b []byte) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	str := func(s string) { field([]byte(s)) }
	str("attest-audit-v1")
	field(r.PrevHash)
	field(r.OrgID[:])
	str(fmt.Sprint(r.Seq))
	str(r.OccurredAt.UTC().Format(time.RFC3339Nano))
	str(r.ActorType)
	if r.ActorID != nil {
		field(r.ActorID[:])
	} else {
		field(nil)
	}
	str(r.ActorLabel)
	str(r.Action)
	str(r.TargetType)
	str(r.TargetID)
	field(r.Details)
	str(r.IP)
	str(r.RequestID)
	return h.Sum(nil)
}

// canonicalJSON re-encodes JSON with sorted object keys, no insignificant
// whitespace and numbers kept as written, so the bytes survive a round trip
// through a jsonb column.
func canonicalJSON(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("audit: details: %w", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("audit: details: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
