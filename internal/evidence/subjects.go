package evidence

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"slices"
)

// subjectID names a subject of a kind compactly: the first 16 bytes of
// SHA-256 over the kind, a NUL and the subject key (PostgreSQL text holds no
// NUL, so the encoding is unambiguous). A writer tracks every subject of its
// dataset, 100,000 for a 50,000-user tenant's users and registrations; two
// strings a subject cost three times the memory of this key, and a
// collision among them is beyond any real chance.
type subjectID [16]byte

// subjectOf is the id of kind's subject.
func subjectOf[T string | []byte](kind string, subject T) subjectID {
	var buf [256]byte // most keys fit, so the message is built without allocating
	msg := append(append(append(buf[:0], kind...), 0), subject...)
	sum := sha256.Sum256(msg)
	return subjectID(sum[:16])
}

// storedSubject is a subject of the current state: its id, its
// fingerprint, and whether this sync has seen it.
type storedSubject struct {
	id   subjectID
	fp   [32]byte
	seen bool
}

// storedSubjects are a dataset's subjects in the current state, sorted by
// id: 49 bytes a subject, where a map of the same spent 80.
type storedSubjects []storedSubject

// find returns the index of the subject id, if it is stored.
func (s storedSubjects) find(id subjectID) (int, bool) {
	return slices.BinarySearchFunc(s, id, func(e storedSubject, id subjectID) int { return bytes.Compare(e.id[:], id[:]) })
}

// sortSubjects orders s by id for find.
func sortSubjects(s storedSubjects) {
	slices.SortFunc(s, func(a, b storedSubject) int { return bytes.Compare(a.id[:], b.id[:]) })
}

var errBadPacked = errors.New("evidence: malformed packed subjects")

// unpackSubjects appends kind's subjects, packed by EvidenceCurrentPacked
// (each a 4-byte big-endian length, the key, a 32-byte fingerprint), to
// stored.
func unpackSubjects(stored storedSubjects, kind string, packed []byte) (storedSubjects, error) {
	for len(packed) > 0 {
		if len(packed) < 4 {
			return nil, errBadPacked
		}
		n := int(binary.BigEndian.Uint32(packed))
		if len(packed) < 4+n+32 {
			return nil, errBadPacked
		}
		stored = append(stored, storedSubject{id: subjectOf(kind, packed[4:4+n]), fp: [32]byte(packed[4+n : 4+n+32])})
		packed = packed[4+n+32:]
	}
	return stored, nil
}
