package web

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/document"
	ev "github.com/attesthq/attest/internal/evidence"
	"github.com/attesthq/attest/views/pages/assessments"
	"github.com/attesthq/attest/views/pages/evidence"
)

// evidenceShow is one record: typed fields, raw payload, fingerprint, first
// seen, the runs that observed it and the subject's other versions.
func (s *Server) evidenceShow(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("evidence"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	org := currentOrg(c)
	ctx := c.Request().Context()
	var rec dbsqlc.EvidenceGetRow
	var runs []dbsqlc.EvidenceObservingRunsRow
	var versions []dbsqlc.EvidenceHistoryRow
	var holding []dbsqlc.AssessmentsHoldingRow
	var drafts []dbsqlc.AssessmentDraftsRow
	err = db.InOrg(ctx, s.Pool, org.ID, func(tx pgx.Tx) error {
		if rec, err = q.EvidenceGet(ctx, tx, id); err != nil {
			return err
		}
		conn := s.Connectors.Get(rec.Connector)
		if conn == nil && rec.Kind != document.Kind {
			return pgx.ErrNoRows
		}
		dataset := "" // a document revision has no dataset, and no runs observed it
		if conn != nil {
			for _, d := range conn.Datasets() {
				for _, k := range d.Kinds {
					if k == rec.Kind {
						dataset = d.Key
					}
				}
			}
		}
		if runs, err = q.EvidenceObservingRuns(ctx, tx, dbsqlc.EvidenceObservingRunsParams{ConnectionID: rec.ConnectionID, Dataset: dataset, EvidenceID: rec.ID, MaxRows: 50}); err != nil {
			return err
		}
		if versions, err = q.EvidenceHistory(ctx, tx, dbsqlc.EvidenceHistoryParams{ConnectionID: rec.ConnectionID, Kind: rec.Kind, SubjectKey: rec.SubjectKey}); err != nil {
			return err
		}
		// An auditor limited to one assessment is shown that one only, and
		// only the versions of the record that it includes.
		holdingParams := dbsqlc.AssessmentsHoldingParams{EvidenceID: rec.ID}
		if limit, ok := assessmentLimit(c); ok {
			holdingParams.OnlyAssessment = &limit
			if versions, err = versionsIncluded(ctx, tx, limit, versions); err != nil {
				return err
			}
		}
		if holding, err = q.AssessmentsHolding(ctx, tx, holdingParams); err != nil {
			return err
		}
		if account.CanWrite(currentRole(c)) {
			drafts, err = q.AssessmentDrafts(ctx, tx)
		}
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	kind, _ := s.evidenceKind(rec.Kind)
	source := "/connections/"
	if rec.Kind == document.Kind {
		source = "/documents/" // the revision's source is its document
	}
	var raw bytes.Buffer
	_ = json.Indent(&raw, rec.Payload, "", "  ")
	d := evidence.Detail{
		Page: s.page(c, rec.SubjectLabel, "evidence"), Kind: rec.Kind, KindTitle: kind.Title, Subject: rec.SubjectLabel,
		SubjectKey: rec.SubjectKey, Connection: rec.ConnectionName, ConnectionURL: orgPath(c, source+rec.ConnectionID.String()),
		Criteria: kind.Criteria, SchemaVersion: int(rec.SchemaVersion), ObservedAt: rec.ObservedAt, CollectedAt: rec.CollectedAt,
		Fingerprint: hex.EncodeToString(rec.Fingerprint), Current: rec.IsCurrent, Fields: typedFields(kind.Fields, rec.Payload), Raw: raw.String(),
	}
	for _, r := range runs {
		d.Runs = append(d.Runs, evidence.Run{StartedAt: r.StartedAt, Status: r.Status, Trigger: r.Trigger})
	}
	for _, v := range versions {
		d.Versions = append(d.Versions, evidence.Version{URL: orgPath(c, "/evidence/"+strconv.FormatInt(v.ID, 10)),
			Collected: v.CollectedAt, Short: hex.EncodeToString(v.Fingerprint)[:12], This: v.ID == rec.ID})
	}
	for _, a := range holding {
		d.Assessments = append(d.Assessments, evidence.AssessmentRef{Name: a.Name, URL: orgPath(c, "/assessments/"+a.ID.String()), Status: assessments.StatusLabel(a.Status)})
	}
	for _, a := range drafts {
		if !slices.ContainsFunc(holding, func(h dbsqlc.AssessmentsHoldingRow) bool { return h.ID == a.ID }) {
			d.Drafts = append(d.Drafts, evidence.Option{Value: a.ID.String(), Label: a.Name})
		}
	}
	d.AttachURL = orgPath(c, "/evidence/"+strconv.FormatInt(rec.ID, 10)+"/attach")
	return s.render(c, http.StatusOK, evidence.DetailPage(d))
}

// typedFields lists a payload's fields in the kind's documented order.
func typedFields(order []string, payload []byte) []evidence.Field {
	values := ev.Flatten(order, payload)
	out := make([]evidence.Field, len(order))
	for i, name := range order {
		out[i] = evidence.Field{Name: name, Value: values[i]}
	}
	return out
}
