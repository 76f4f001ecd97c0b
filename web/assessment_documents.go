package web

import (
	"context"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/export"
)

// assessmentDocuments writes the files of the document revisions an
// assessment includes under documents/<document>/<revision>-<name>, each
// read through the document service, so bytes that no longer match their
// SHA-256 fail the export instead of entering it. The bundle's SHA256SUMS
// and the manifest list each file's hash, which equals the one in the
// revision's evidence payload, whose fingerprint is inside the root hash.
func (s *Server) assessmentDocuments(ctx context.Context, c echo.Context, tx pgx.Tx, b *export.Bundle, a dbsqlc.Assessment) error {
	revs, err := q.DocumentAssessmentFiles(ctx, tx, a.ID)
	if err != nil {
		return fmt.Errorf("web: assessment documents: %w", err)
	}
	u := currentUser(c)
	for _, r := range revs {
		d, err := s.Documents.Open(ctx, a.OrgID, audit.UserActor(u.UserID, u.Email), false, r.DocumentID, r.ID)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("documents/%s/%d-%s", r.DocumentID, r.Number, *r.FileName)
		w, err := b.Create(name)
		if err == nil {
			_, err = io.Copy(w, d)
		}
		_ = d.Close()
		if err != nil {
			return fmt.Errorf("web: assessment document %s: %w", name, err)
		}
	}
	return nil
}
