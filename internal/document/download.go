package document

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
)

// ErrTampered means a revision's stored bytes no longer hash to the SHA-256
// recorded when it was uploaded: the download is refused and an alert opened.
var ErrTampered = errors.New("document: the stored file no longer matches its SHA-256; the download was refused")

// ErrNoFile means the revision is a link, with no file to download.
var ErrNoFile = errors.New("document: the revision is a link, not a file")

// Download is a revision's verified content, spooled to a temporary file;
// Close removes it.
type Download struct {
	Revision dbsqlc.DocumentRevision
	*os.File
}

// Close closes and removes the spooled file.
func (d *Download) Close() error {
	err := d.File.Close()
	_ = os.Remove(d.File.Name())
	return err
}

// Open reads a file revision from its store into a temporary file, hashing
// it on the way, and returns it rewound only when the bytes match the
// stored SHA-256. A mismatch opens a tamper alert and returns ErrTampered.
// A download by an auditor is audited.
func (s *Service) Open(ctx context.Context, orgID uuid.UUID, actor audit.Actor, byAuditor bool, docID, revID uuid.UUID) (*Download, error) {
	var d *Download
	var doc dbsqlc.Document
	err := db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		row, err := q.DocumentGet(ctx, tx, docID)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("document: load: %w", err)
		}
		doc = documentOf(row)
		rev, err := q.DocumentRevisionGet(ctx, tx, dbsqlc.DocumentRevisionGetParams{ID: revID, DocumentID: docID})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("document: load revision: %w", err)
		}
		if rev.Sha256 == nil {
			return ErrNoFile
		}
		if d, err = s.fetch(ctx, tx, rev); err != nil {
			return err
		}
		if !byAuditor {
			return nil
		}
		return s.record(ctx, tx, doc, actor, s.Clock.Now(), "document.download", map[string]any{
			"revision": rev.Number, "revision_id": rev.ID.String(), "sha256": fmt.Sprintf("%x", rev.Sha256)})
	})
	if errors.Is(err, ErrTampered) {
		if alertErr := s.tampered(ctx, doc, revID); alertErr != nil {
			return nil, errors.Join(err, alertErr)
		}
	}
	if err != nil && d != nil {
		_ = d.Close()
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// fetch spools a revision's bytes and checks their hash.
func (s *Service) fetch(ctx context.Context, tx pgx.Tx, rev dbsqlc.DocumentRevision) (*Download, error) {
	st, err := s.storeFor(rev.Storage)
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(s.TempDir, "attest-download-*")
	if err != nil {
		return nil, fmt.Errorf("document: spool download: %w", err)
	}
	d := &Download{Revision: rev, File: f}
	h := sha256.New()
	if err := st.Get(ctx, tx, rev, io.MultiWriter(f, h)); err != nil {
		_ = d.Close()
		return nil, err
	}
	if !bytes.Equal(h.Sum(nil), rev.Sha256) {
		_ = d.Close()
		return nil, ErrTampered
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("document: rewind download: %w", err)
	}
	return d, nil
}

// tampered opens (once) the document's tamper alert, in its own
// transaction: the refused download changed nothing else.
func (s *Service) tampered(ctx context.Context, doc dbsqlc.Document, revID uuid.UUID) error {
	now := s.Clock.Now()
	return db.InOrg(context.WithoutCancel(ctx), s.Pool, doc.OrgID, func(tx pgx.Tx) error {
		_, err := openAlert(ctx, tx, doc, KindTampered, [2]string{
			"A file of " + doc.Title + " no longer matches its hash",
			"Revision " + revID.String() + " was read from storage with a different SHA-256 than when it was uploaded, so its download was refused. " +
				"Its storage may have been altered: compare it with your backups.",
		}, now, s.Notify)
		return err
	})
}
