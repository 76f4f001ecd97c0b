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
		return nil, err
	}
	rows, err := tx.Query(ctx, currentSubjects, connID, kinds)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	stored := make(storedSubjects, 0, n)
	for rows.Next() {
		raw := rows.RawValues() // text and bytea arrive as their bytes
		i := slices.IndexFunc(kinds, func(k string) bool { return k == string(raw[0]) })
		if i < 0 || len(raw[2]) != 32 {
			return nil, errBadSubject
		}
		stored = append(stored, storedSubject{id: subjectOf(kinds[i], raw[1]), fp: [32]byte(raw[2])})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sortSubjects(stored)
	return stored, nil
}
