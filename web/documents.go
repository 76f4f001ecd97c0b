package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/internal/document"
	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/layout"
	"github.com/attesthq/attest/views/pages/documents"
)

// documentState is a document's review state at now.
func documentState(nextReview, now time.Time) string {
	switch {
	case !document.Current(nextReview, now):
		return documents.StateLapsed
	case !now.UTC().Truncate(24 * time.Hour).Before(nextReview.Add(-document.ReminderBefore)):
		return documents.StateDue
	}
	return documents.StateCurrent
}

// documentsList lists the organization's documents; an auditor limited to
// one assessment sees only the documents it holds.
func (s *Server) documentsList(c echo.Context) error {
	ctx := c.Request().Context()
	var rows []dbsqlc.DocumentListRow
	err := db.InOrg(ctx, s.Pool, currentOrg(c).ID, func(tx pgx.Tx) error {
		var ids []uuid.UUID
		if limit, ok := assessmentLimit(c); ok {
			var err error
			if ids, err = q.DocumentsInAssessment(ctx, tx, limit); err != nil {
				return err
			}
		}
		var err error
		rows, err = q.DocumentList(ctx, tx, ids)
		return err
	})
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	l := documents.List{Page: s.page(c, "Documents", "documents"), CanWrite: account.CanWrite(currentRole(c)), NewURL: orgPath(c, "/documents/new")}
	for _, r := range rows {
		row := documents.Row{Title: r.Title, URL: orgPath(c, "/documents/"+r.ID.String()), Owner: r.OwnerEmail, Criteria: r.Criteria,
			NextReview: r.NextReviewOn, State: documentState(r.NextReviewOn, now), LatestAt: r.LatestAt, Revisions: r.LatestNumber}
		l.Rows = append(l.Rows, row)
	}
	return s.render(c, http.StatusOK, documents.ListPage(l))
}

// documentNew shows the new-document form.
func (s *Server) documentNew(c echo.Context) error {
	return s.renderDocumentForm(c, http.StatusOK, documents.Form{}, document.Details{OwnerID: currentUser(c).UserID, Cadence: document.CadenceYearly})
}

// renderDocumentForm renders the form with what was typed (d) and an error.
func (s *Server) renderDocumentForm(c echo.Context, status int, f documents.Form, d document.Details) error {
	ctx := c.Request().Context()
	var owners []dbsqlc.DocumentOwnerCandidatesRow
	err := db.InOrg(ctx, s.Pool, currentOrg(c).ID, func(tx pgx.Tx) error {
		var err error
		owners, err = q.DocumentOwnerCandidates(ctx, tx, currentOrg(c).ID)
		return err
	})
	if err != nil {
		return err
	}
	f.Action, f.MaxMB = orgPath(c, "/documents"), s.documentMaxBytes()>>20
	for _, o := range owners {
		f.Owners = append(f.Owners, documents.Option{Value: o.ID.String(), Label: o.Email, Checked: o.ID == d.OwnerID})
	}
	labels := map[string]string{document.CadenceMonthly: "Every month", document.CadenceQuarterly: "Every quarter",
		document.CadenceYearly: "Every year", document.CadenceDate: "On a date"}
	for _, k := range document.Cadences {
		f.Cadences = append(f.Cadences, documents.Option{Value: k, Label: labels[k], Checked: k == d.Cadence})
	}
	for _, crit := range coverage.Catalog {
		f.Criteria = append(f.Criteria, documents.Option{Value: crit.ID, Label: crit.Summary, Checked: slices.Contains(d.Criteria, crit.ID)})
	}
	return s.render(c, status, documents.NewPage(documents.New{Page: s.page(c, "Add a document", "documents"), Form: f}))
}

// loadDocument reads the document in the path; 404 when it is not the
// organization's (or not the limited auditor's assessment's).
func (s *Server) loadDocument(c echo.Context, tx pgx.Tx) (dbsqlc.DocumentGetRow, error) {
	id, err := uuidParam(c, "document")
	if err != nil {
		return dbsqlc.DocumentGetRow{}, err
	}
	ctx := c.Request().Context()
	if limit, ok := assessmentLimit(c); ok {
		in, err := q.DocumentInAssessment(ctx, tx, dbsqlc.DocumentInAssessmentParams{AssessmentID: limit, DocumentID: id})
		if err != nil {
			return dbsqlc.DocumentGetRow{}, err
		}
		if !in {
			return dbsqlc.DocumentGetRow{}, echo.ErrNotFound
		}
	}
	d, err := q.DocumentGet(ctx, tx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, echo.ErrNotFound
	}
	return d, err
}

// documentShow shows a document, its criteria and its revisions.
func (s *Server) documentShow(c echo.Context) error {
	return s.renderDocument(c, http.StatusOK, "")
}

func (s *Server) renderDocument(c echo.Context, status int, problem string) error {
	ctx := c.Request().Context()
	var d dbsqlc.DocumentGetRow
	var revs []dbsqlc.DocumentRevisionsRow
	var linked []string
	err := db.InOrg(ctx, s.Pool, currentOrg(c).ID, func(tx pgx.Tx) error {
		var err error
		if d, err = s.loadDocument(c, tx); err != nil {
			return err
		}
		if revs, err = q.DocumentRevisions(ctx, tx, d.ID); err != nil {
			return err
		}
		if revs, err = s.revisionsShown(c, tx, revs); err != nil {
			return err
		}
		linked, err = q.DocumentCriteria(ctx, tx, d.ID)
		return err
	})
	if err != nil {
		return err
	}
	base := orgPath(c, "/documents/"+d.ID.String())
	v := documents.Show{Page: s.page(c, d.Title, "documents"), CanWrite: account.CanWrite(currentRole(c)), Title: d.Title,
		Description: d.Description, Owner: d.OwnerEmail, Cadence: d.ReviewCadence, NextReview: d.NextReviewOn,
		State: documentState(d.NextReviewOn, s.Clock.Now()), LinkURL: base + "/criteria", ReviseURL: base + "/revisions",
		DateCadence: d.ReviewCadence == document.CadenceDate, MaxMB: s.documentMaxBytes() >> 20, Error: problem}
	if d.PeriodStart != nil && d.PeriodEnd != nil {
		v.Period = components.DayRange(*d.PeriodStart, *d.PeriodEnd)
	}
	for _, crit := range coverage.Catalog {
		if slices.Contains(linked, crit.ID) {
			v.Criteria = append(v.Criteria, documents.Criterion{ID: crit.ID, Name: crit.Summary, UnlinkURL: base + "/criteria/" + crit.ID + "/remove"})
		} else {
			v.Available = append(v.Available, documents.Option{Value: crit.ID, Label: crit.Summary})
		}
	}
	for _, r := range revs {
		rv := documents.Revision{Number: r.Number, ObservedOn: r.ObservedOn, CreatedAt: r.CreatedAt,
			EvidenceURL: orgPath(c, fmt.Sprintf("/evidence/%d", r.EvidenceID)), DownloadURL: base + "/revisions/" + r.ID.String() + "/download"}
		if r.CreatedByEmail != nil {
			rv.By = *r.CreatedByEmail
		}
		if r.ExternalUrl != nil {
			rv.Link = *r.ExternalUrl
		} else {
			rv.FileName, rv.ContentType, rv.Size, rv.SHA256 = *r.FileName, *r.ContentType, byteSize(*r.SizeBytes), fmt.Sprintf("%x", r.Sha256)
		}
		v.Revisions = append(v.Revisions, rv)
	}
	return s.render(c, status, documents.ShowPage(v))
}

// revisionsShown keeps, for an auditor limited to one assessment, only the
// revisions that assessment holds.
func (s *Server) revisionsShown(c echo.Context, tx pgx.Tx, revs []dbsqlc.DocumentRevisionsRow) ([]dbsqlc.DocumentRevisionsRow, error) {
	limit, ok := assessmentLimit(c)
	if !ok {
		return revs, nil
	}
	out := revs[:0]
	for _, r := range revs {
		in, err := q.DocumentRevisionInAssessment(c.Request().Context(), tx, dbsqlc.DocumentRevisionInAssessmentParams{AssessmentID: limit, RevisionID: r.ID})
		if err != nil {
			return nil, err
		}
		if in {
			out = append(out, r)
		}
	}
	return out, nil
}

// byteSize is a file size for people.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// documentLink makes the document support one more criterion.
func (s *Server) documentLink(c echo.Context) error {
	return s.documentCriterion(c, c.FormValue("criterion"), s.Documents.Link, "Linked to ")
}

// documentUnlink stops the document supporting a criterion.
func (s *Server) documentUnlink(c echo.Context) error {
	return s.documentCriterion(c, c.Param("criterion"), s.Documents.Unlink, "Unlinked from ")
}

func (s *Server) documentCriterion(c echo.Context, criterion string,
	step func(ctx context.Context, orgID uuid.UUID, actor audit.Actor, docID uuid.UUID, criterion string) error, done string) error {
	id, err := uuidParam(c, "document")
	if err != nil {
		return err
	}
	u := currentUser(c)
	err = step(c.Request().Context(), currentOrg(c).ID, audit.UserActor(u.UserID, u.Email), id, criterion)
	var invalid *document.InvalidError
	switch {
	case errors.Is(err, document.ErrNotFound):
		return echo.ErrNotFound
	case errors.As(err, &invalid):
		return s.renderDocument(c, http.StatusUnprocessableEntity, "Nothing changed: "+invalid.Error()+".")
	case err != nil:
		return err
	}
	flash(c, layout.FlashSuccess, done+criterion+".")
	return seeOther(c, orgPath(c, "/documents/"+id.String()))
}
