package evidence

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
)

// subjectID names a subject of a kind compactly: the first 16 bytes of
// SHA-256 over the kind, a NUL and the subject key (PostgreSQL text holds no
// NUL, so the encoding is unambiguous). A writer tracks every subject of its
// dataset, 100,000 for the accounts and registrations of 50,000 users; two
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

// storedSubjects are a dataset's subjects in the current state: 49 bytes
// a subject in a list sorted by id, where a map of the same spent 80.
// Ids are uniform (a hash), so start indexes the list by their leading
// bits and a lookup searches one bucket of about one subject: a binary
// search of the whole list cost a cache miss a step.
type storedSubjects struct {
	list  []storedSubject
	shift uint
	// start[b] is the index of the first subject whose id's leading bits
	// are b or more; start[len(start)-1] is len(list).
	start []int32
}

// newStoredSubjects sorts list and indexes it.
func newStoredSubjects(list []storedSubject) storedSubjects {
	slices.SortFunc(list, func(a, b storedSubject) int { return bytes.Compare(a.id[:], b.id[:]) })
	bits := uint(bitsLen(len(list)))
	s := storedSubjects{list: list, shift: 16 - bits, start: make([]int32, 1<<bits+1)}
	next := 0
	for b := range 1 << bits {
		for next < len(list) && s.bucket(list[next].id) < b {
			next++
		}
		s.start[b] = int32(next)
	}
	s.start[1<<bits] = int32(len(list))
	return s
}

// bitsLen is how many leading bits of an id index n subjects: about one
// subject a bucket, at most 16 bits.
func bitsLen(n int) int {
	bits := 0
	for bits < 16 && 1<<bits < n {
		bits++
	}
	return bits
}

func (s storedSubjects) bucket(id subjectID) int {
	return int(uint16(id[0])<<8|uint16(id[1])) >> s.shift
}

// find returns the index in list of the subject id, if it is stored.
func (s storedSubjects) find(id subjectID) (int, bool) {
	if len(s.list) == 0 {
		return 0, false
	}
	b := s.bucket(id)
	lo, hi := int(s.start[b]), int(s.start[b+1])
	i, ok := slices.BinarySearchFunc(s.list[lo:hi], id, func(e storedSubject, id subjectID) int { return bytes.Compare(e.id[:], id[:]) })
	return lo + i, ok
}

// currentSubjects reads a dataset's subjects in the current state with
// their fingerprints. It runs as a plain query, row by row, each row read
// without an allocation: sqlc's :many would hold every row's strings at
// once (22 MB for the accounts and registrations of 50,000 users), and
// packing them into one value in SQL took three times as long as this.
const currentSubjects = `SELECT kind, subject_key, fingerprint FROM evidence_current
WHERE connection_id = $1 AND kind = ANY($2::text[])`

var errBadSubject = errors.New("evidence: a current subject of an unexpected kind or fingerprint")

// readCurrent reads the dataset's subjects in the current state, sorted by
// id.
func readCurrent(ctx context.Context, tx pgx.Tx, connID uuid.UUID, kinds []string) (storedSubjects, error) {
	n, err := q.EvidenceCurrentCount(ctx, tx, dbsqlc.EvidenceCurrentCountParams{ConnectionID: connID, Kinds: kinds})
	if err != nil {
		return storedSubjects{}, err
	}
	rows, err := tx.Query(ctx, currentSubjects, connID, kinds)
	if err != nil {
		return storedSubjects{}, err
	}
	defer rows.Close()
	stored := make([]storedSubject, 0, n)
	for rows.Next() {
		raw := rows.RawValues() // text and bytea arrive as their bytes
		i := slices.IndexFunc(kinds, func(k string) bool { return k == string(raw[0]) })
		if i < 0 || len(raw[2]) != 32 {
			return storedSubjects{}, errBadSubject
		}
		stored = append(stored, storedSubject{id: subjectOf(kinds[i], raw[1]), fp: [32]byte(raw[2])})
	}
	if err := rows.Err(); err != nil {
		return storedSubjects{}, err
	}
	return newStoredSubjects(stored), nil
}
