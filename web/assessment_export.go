package web

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db/dbsqlc"
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

// assessmentManifest is manifest.json of an assessment ZIP.
type assessmentManifest struct {
	Assessment  string         `json:"assessment"`
	Name        string         `json:"name"`
	Framework   string         `json:"framework"`
	PeriodStart string         `json:"period_start"`
	PeriodEnd   string         `json:"period_end"`
	Status      string         `json:"status"`
	Categories  []string       `json:"categories"`
	ApprovedAt  *time.Time     `json:"approved_at"`
	ApprovedBy  string         `json:"approved_by,omitempty"`
	RootHash    string         `json:"root_hash"`
	Provisional bool           `json:"provisional"`
	Records     int            `json:"records"`
	GeneratedAt time.Time      `json:"generated_at"`
	Files       []manifestFile `json:"files"`
}

type manifestFile struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Rows   int    `json:"rows"`
}

// assessmentZip downloads an assessment as a bundle: evidence/<kind>.csv
// per kind with records, the document files under documents/ (see
// assessmentDocuments), checks.csv and exclusions.csv over the period,
// scope.csv (the statement of applicability it was approved with),
// fingerprints.txt (the root hash's input), manifest.json and SHA256SUMS.
func (s *Server) assessmentZip(c echo.Context) error {
	a, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	org := currentOrg(c)
	ctx := c.Request().Context()
	now := s.Clock.Now()
	name := fmt.Sprintf("attest-%s-assessment-%s-%s.zip", org.Slug, fileSlug(a.Name), now.UTC().Format(time.DateOnly))
	err = s.exportTx(ctx, org.ID, func(tx pgx.Tx) error {
		startDownload(c, "application/zip", name)
		b := export.NewBundle(c.Response())
		rows := map[string]int{}
		e := kindExport{c: c, tx: tx, org: org.Slug}
		total := 0
		for _, k := range s.evidenceKinds() {
			file := "evidence/" + k.Kind + ".csv"
			e.open = func() (io.Writer, error) { return b.Create(file) }
			n, err := e.run(ctx, k, export.Filter{AssessmentID: &a.ID})
			if err != nil {
				return err
			}
			if n > 0 {
				rows[file] = n
			}
			total += n
		}
		if err := s.assessmentDocuments(ctx, c, tx, b, a); err != nil {
			return err
		}
		m, err := s.assessmentTables(ctx, tx, b, a, rows)
		if err != nil {
			return err
		}
		m.GeneratedAt, m.ApprovedBy = now.UTC(), s.userEmail(c, tx, a.ApprovedBy)
		for _, f := range b.Files() {
			m.Files = append(m.Files, manifestFile{Name: f.Name, SHA256: f.SHA256, Rows: rows[f.Name]})
		}
		w, err := b.Create("manifest.json")
		if err != nil {
			return err
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(m); err != nil {
			return fmt.Errorf("web: write manifest: %w", err)
		}
		if err := b.Close(); err != nil {
			return err
		}
		return s.recordExport(ctx, c, tx, "assessment", a.ID.String(),
			map[string]any{"assessment": a.ID.String(), "format": "zip", "rows": total})
	})
	return s.abortDownload(c, err)
}

// assessmentTables writes checks.csv, exclusions.csv, scope.csv and fingerprints.txt,
// counting their rows, and returns the manifest's description of a.
func (s *Server) assessmentTables(ctx context.Context, tx pgx.Tx, b *export.Bundle, a dbsqlc.Assessment, rows map[string]int) (assessmentManifest, error) {
	m := assessmentManifest{Assessment: a.ID.String(), Name: a.Name, Framework: a.Framework, Status: a.Status,
		PeriodStart: a.PeriodStart.Format(time.DateOnly), PeriodEnd: a.PeriodEnd.Format(time.DateOnly),
		Categories: append([]string{}, a.Categories...), ApprovedAt: a.ApprovedAt}
	period := dbsqlc.AssessmentChecksParams{PeriodStart: a.PeriodStart, PeriodEndExclusive: a.PeriodEnd.AddDate(0, 0, 1)}
	checks, err := q.AssessmentChecks(ctx, tx, period)
	if err != nil {
		return m, err
	}
	err = writeTable(b, "checks.csv", rows, []string{"evaluated_at", "connection", "check", "status", "reason",
		"subjects_total", "subjects_failing", "subjects_excluded"}, len(checks), func(i int) []string {
		r := checks[i]
		return []string{stamp(r.EvaluatedAt), r.ConnectionName, r.CheckKey, r.Status, r.Reason,
			strconv.Itoa(int(r.SubjectsTotal)), strconv.Itoa(int(r.SubjectsFailing)), strconv.Itoa(int(r.SubjectsExcluded))}
	})
	if err != nil {
		return m, err
	}
	exclusions, err := q.AssessmentExclusions(ctx, tx, dbsqlc.AssessmentExclusionsParams{PeriodStart: period.PeriodStart, PeriodEndExclusive: period.PeriodEndExclusive})
	if err != nil {
		return m, err
	}
	err = writeTable(b, "exclusions.csv", rows, []string{"connection", "check", "subject", "reason", "created_at", "expires_at", "revoked_at"},
		len(exclusions), func(i int) []string {
			x := exclusions[i]
			revoked := ""
			if x.RevokedAt != nil {
				revoked = stamp(*x.RevokedAt)
			}
			return []string{x.ConnectionName, x.CheckKey, x.SubjectLabel, x.Reason, stamp(x.CreatedAt), stamp(x.ExpiresAt), revoked}
		})
	if err != nil {
		return m, err
	}
	if err := writeAssessmentScope(ctx, tx, b, a, rows); err != nil {
		return m, err
	}
	w, err := b.Create("fingerprints.txt")
	if err != nil {
		return m, err
	}
	line := make([]byte, 65)
	m.Records, err = export.Fingerprints(ctx, tx, a.ID, func(fp []byte) error {
		hex.Encode(line, fp)
		line[64] = '\n'
		_, err := w.Write(line)
		return err
	})
	if err != nil {
		return m, err
	}
	rows["fingerprints.txt"] = m.Records
	root := a.RootHash
	if root == nil {
		h, err := q.AssessmentRootHash(ctx, tx, a.ID)
		if err != nil {
			return m, err
		}
		root, m.Provisional = h.RootHash, true
	}
	m.RootHash = hex.EncodeToString(root)
	return m, nil
}

// writeTable writes a neutralized CSV file of n rows into the bundle.
func writeTable(b *export.Bundle, name string, rows map[string]int, header []string, n int, row func(int) []string) error {
	w, err := b.Create(name)
	if err != nil {
		return err
	}
	t, err := export.NewTable(w, header)
	if err != nil {
		return err
	}
	for i := range n {
		if err := t.Write(row(i)); err != nil {
			return err
		}
	}
	rows[name] = t.Rows()
	return t.Flush()
}

// stamp is a time in an export: RFC 3339, UTC.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
