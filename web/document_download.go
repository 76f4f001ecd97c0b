package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/document"
)

// documentDownload serves one file revision as an attachment, never
// rendered: its sniffed type, nosniff and a CSP that allows nothing. Bytes
// that no longer match their SHA-256 are refused (and alerted).
func (s *Server) documentDownload(c echo.Context) error {
	docID, err := uuidParam(c, "document")
	if err != nil {
		return err
	}
	revID, err := uuidParam(c, "revision")
	if err != nil {
		return err
	}
	org, u := currentOrg(c), currentUser(c)
	ctx := c.Request().Context()
	if limit, ok := assessmentLimit(c); ok {
		var in bool
		err := db.InOrg(ctx, s.Pool, org.ID, func(tx pgx.Tx) error {
			var err error
			in, err = q.DocumentRevisionInAssessment(ctx, tx, dbsqlc.DocumentRevisionInAssessmentParams{AssessmentID: limit, RevisionID: revID})
			return err
		})
		if err != nil {
			return err
		}
		if !in {
			return echo.ErrNotFound
		}
	}
	d, err := s.Documents.Open(ctx, org.ID, audit.UserActor(u.UserID, u.Email), currentRole(c) == account.RoleAuditor, docID, revID)
	switch {
	case errors.Is(err, document.ErrNotFound), errors.Is(err, document.ErrNoFile):
		return echo.ErrNotFound
	case errors.Is(err, document.ErrTampered):
		return echo.NewHTTPError(http.StatusConflict, "This file no longer matches the SHA-256 recorded at upload, so it was not served. An alert was opened.")
	case err != nil:
		return err
	}
	defer d.Close()
	h := c.Response().Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set(echo.HeaderContentLength, strconv.FormatInt(*d.Revision.SizeBytes, 10))
	startDownload(c, *d.Revision.ContentType, *d.Revision.FileName)
	_, err = io.Copy(c.Response(), d)
	return s.abortDownload(c, err)
}
