package web

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/export"
)

// assessmentExport downloads one kind of an assessment's included evidence
// as CSV (?kind= is required).
func (s *Server) assessmentExport(c echo.Context) error {
	a, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	kind := c.QueryParam("kind")
	k, ok := s.evidenceKind(kind)
	if !ok {
		msg := "Choose an evidence kind to export (?kind=)."
		if kind != "" {
			msg = "Nothing was exported: there is no evidence kind " + quote(kind) + "."
		}
		return echo.NewHTTPError(http.StatusBadRequest, msg)
	}
	org := currentOrg(c)
	ctx := c.Request().Context()
	name := fmt.Sprintf("attest-%s-assessment-%s-%s-%s.csv", org.Slug, fileSlug(a.Name), fileSlug(k.Kind), s.Clock.Now().UTC().Format(time.DateOnly))
	err = s.exportTx(ctx, org.ID, func(tx pgx.Tx) error {
		startDownload(c, "text/csv; charset=utf-8", name)
		e := kindExport{c: c, tx: tx, org: org.Slug, open: func() (io.Writer, error) { return c.Response(), nil }, always: true}
		rows, err := e.run(ctx, k, export.Filter{AssessmentID: &a.ID})
		if err != nil {
			return err
		}
		return s.recordExport(ctx, c, tx, "assessment", a.ID.String(),
			map[string]any{"assessment": a.ID.String(), "kind": k.Kind, "format": "csv", "rows": rows})
	})
	return s.abortDownload(c, err)
}

// assessmentZip downloads an assessment as a bundle (export.AssessmentBundle).
func (s *Server) assessmentZip(c echo.Context) error {
	a, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	org, u := currentOrg(c), currentUser(c)
	ctx := c.Request().Context()
	now := s.Clock.Now()
	name := fmt.Sprintf("attest-%s-assessment-%s-%s.zip", org.Slug, fileSlug(a.Name), now.UTC().Format(time.DateOnly))
	err = s.exportTx(ctx, org.ID, func(tx pgx.Tx) error {
		startDownload(c, "application/zip", name)
		bundle := export.AssessmentBundle{Assessment: a, Org: org.Slug, Kinds: s.evidenceKinds(), Documents: s.Documents,
			Actor: audit.UserActor(u.UserID, u.Email), Now: now, Flush: c.Response().Flush}
		total, err := bundle.Write(ctx, tx, c.Response())
		if err != nil {
			return err
		}
		return s.recordExport(ctx, c, tx, "assessment", a.ID.String(),
			map[string]any{"assessment": a.ID.String(), "format": "zip", "rows": total})
	})
	return s.abortDownload(c, err)
}
