package document

import (
	"context"
	"fmt"
	"io"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
)

// Store keeps the bytes of file revisions. The hash and metadata live in
// PostgreSQL whichever store holds the bytes.
type Store interface {
	// Backend names the store as each revision records it.
	Backend() string
	// Put stores size bytes read from r as the revision's content and
	// returns the key the revision records. tx is the revision's
	// transaction (the PostgreSQL store writes in it).
	Put(ctx context.Context, tx pgx.Tx, orgID, revisionID uuid.UUID, r io.Reader, size int64) (string, error)
	// Get writes the revision's stored bytes to w.
	Get(ctx context.Context, tx pgx.Tx, rev dbsqlc.DocumentRevision, w io.Writer) error
}

// Backends recorded on revisions.
const (
	BackendPostgres = "postgres"
	BackendS3       = "s3"
	backendLink     = "link"
)

// chunkSize is the size of one stored chunk in PostgreSQL (the table's
// CHECK allows up to 256 KiB).
const chunkSize = 256 << 10

// PostgresStore keeps files in document_blobs, in chunks, inside the
// revision's transaction: nothing else to run, and the bytes share the
// database's backups and its freeze triggers.
type PostgresStore struct{}

// Backend is "postgres".
func (PostgresStore) Backend() string { return BackendPostgres }

// Put writes the content chunk by chunk; only one chunk is in memory.
func (PostgresStore) Put(ctx context.Context, tx pgx.Tx, orgID, revisionID uuid.UUID, r io.Reader, _ int64) (string, error) {
	buf := make([]byte, chunkSize)
	for seq := int32(0); ; seq++ {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			if err := q.DocumentBlobPut(ctx, tx, dbsqlc.DocumentBlobPutParams{OrgID: orgID, RevisionID: revisionID, Seq: seq, Chunk: buf[:n]}); err != nil {
				return "", fmt.Errorf("document: store chunk %d: %w", seq, err)
			}
		}
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			return "", nil
		case err != nil:
			return "", fmt.Errorf("document: read upload: %w", err)
		}
	}
}

// blobChunks reads a revision's chunks in order. It runs as a plain query,
// row by row, so a download holds one chunk at a time (sqlc's :many would
// load them all).
const blobChunks = `SELECT chunk FROM document_blobs WHERE revision_id = $1 ORDER BY seq`

// Get streams the chunks to w as they arrive.
func (PostgresStore) Get(ctx context.Context, tx pgx.Tx, rev dbsqlc.DocumentRevision, w io.Writer) error {
	rows, err := tx.Query(ctx, blobChunks, rev.ID)
	if err != nil {
		return fmt.Errorf("document: read chunks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if _, err := w.Write(rows.RawValues()[0]); err != nil {
			return fmt.Errorf("document: copy chunk: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("document: read chunks: %w", err)
	}
	return nil
}
