package web

import (
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/assessment"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/pages/assessments"
)

const assessmentPageSize = 50

// loadAssessment reads the assessment named by the path; a foreign or
// unknown one is a 404.
func (s *Server) loadAssessment(c echo.Context) (dbsqlc.Assessment, error) {
	id, err := uuidParam(c, "assessment")
	if err != nil {
		return dbsqlc.Assessment{}, err
	}
	var a dbsqlc.Assessment
	err = db.InOrg(c.Request().Context(), s.Pool, currentOrg(c).ID, func(tx pgx.Tx) error {
		a, err = q.AssessmentGet(c.Request().Context(), tx, id)
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return a, echo.ErrNotFound
	}
	return a, err
}

// assessmentShow is an assessment: its status, root hash, coverage at
// approval beside today's, evidence by kind and the attached records.
func (s *Server) assessmentShow(c echo.Context) error {
	a, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	kind := c.QueryParam("kind")
	params := dbsqlc.AssessmentEvidencePageParams{AssessmentID: a.ID, Kind: kind, MaxRows: assessmentPageSize + 1}
	if before, err := strconv.ParseInt(c.QueryParam("before"), 10, 64); err == nil {
		params.BeforeID = &before
	}
	var counts []dbsqlc.AssessmentKindCountsRow
	var rows []dbsqlc.AssessmentEvidencePageRow
	var createdBy, approvedBy string
	var marked []assessment.Exemption
	today, err := s.loadCoverage(c, assessment.Scope(a), func(tx pgx.Tx) error {
		var err error
		if counts, err = q.AssessmentKindCounts(ctx, tx, a.ID); err != nil {
			return err
		}
		if rows, err = q.AssessmentEvidencePage(ctx, tx, params); err != nil {
			return err
		}
		createdBy, approvedBy = s.userEmail(c, tx, a.CreatedBy), s.userEmail(c, tx, a.ApprovedBy)
		marked, err = assessment.NotApplicable(ctx, tx, a)
		return err
	})
	if err != nil {
		return err
	}
	base := orgPath(c, "/assessments/"+a.ID.String())
	draft := assessment.StatusOf(a) == assessment.StatusDraft
	d := assessments.Detail{
		Page: s.page(c, a.Name, "assessments"), Name: a.Name, Status: a.Status, Period: components.DayRange(a.PeriodStart, a.PeriodEnd),
		Created: a.CreatedAt, CreatedBy: createdBy, Submitted: a.SubmittedAt, Approved: a.ApprovedAt, ApprovedBy: approvedBy,
		Today: coverageView("Coverage today", today, nil, c), ZipURL: base + "/export.zip", Draft: draft && account.CanWrite(currentRole(c)),
	}
	d.Scope = []string{categoryName("CC")}
	for _, k := range a.Categories {
		d.Scope = append(d.Scope, categoryName(k))
	}
	for _, x := range marked {
		d.NotApplicable = append(d.NotApplicable, assessments.Exemption{Criterion: x.Criterion, URL: orgPath(c, "/controls/"+x.Criterion),
			Justification: x.Justification, MarkedBy: x.MarkedBy, MarkedAt: x.MarkedAt})
	}
	if a.RootHash != nil {
		d.RootHash = hex.EncodeToString(a.RootHash)
	}
	if rec, ok := assessment.ParseCoverage(a.Coverage); ok {
		d.HasFrozen = true
		d.Frozen = coverageView("Coverage at approval", frozenReport(rec), nil, c)
		d.Today = coverageView("Coverage today", today, rec.Controls, c)
	}
	titles := s.kindTitles()
	for _, k := range counts {
		d.Records += int(k.Records)
		v := url.Values{"kind": {k.Kind}}
		d.Kinds = append(d.Kinds, assessments.KindCount{Kind: k.Kind, Title: titles[k.Kind], Records: int(k.Records),
			URL: base + "?" + v.Encode(), CSVURL: base + "/export?" + v.Encode(), Selected: k.Kind == kind})
	}
	more := len(rows) > assessmentPageSize
	if more {
		rows = rows[:assessmentPageSize]
	}
	for _, r := range rows {
		id := strconv.FormatInt(r.ID, 10)
		d.Evidence = append(d.Evidence, assessments.Record{ID: r.ID, URL: orgPath(c, "/evidence/"+id), Kind: r.Kind, KindTitle: titles[r.Kind], Subject: r.SubjectLabel,
			Connection: r.ConnectionName, Observed: r.ObservedAt, Collected: r.CollectedAt, Short: hex.EncodeToString(r.Fingerprint)[:12],
			Manual: r.Source == "manual", RemoveURL: base + "/evidence/" + id + "/remove"})
	}
	if more {
		next := url.Values{"before": {strconv.FormatInt(rows[len(rows)-1].ID, 10)}}
		if kind != "" {
			next.Set("kind", kind)
		}
		d.Pager.NextURL = base + "?" + next.Encode()
	}
	if params.BeforeID != nil {
		d.Pager.PrevURL, d.Pager.Summary = base, "Older records"
	}
	if account.CanWrite(currentRole(c)) {
		d.Actions = assessmentActions(a, base, d.Records, failingControls(today))
	}
	switch assessment.StatusOf(a) {
	case assessment.StatusReview:
		d.Notice = "In review: the evidence no longer changes by hand. Approving freezes it for good; returning it to draft allows changes again."
	case assessment.StatusApproved:
		d.Notice = "Approved and frozen: the database refuses any change to this assessment and its evidence, for every role."
	}
	return s.render(c, http.StatusOK, assessments.DetailPage(d))
}

// failingControls are the ids of the report's failing controls.
func failingControls(r coverage.Report) []string {
	var out []string
	for _, ctl := range r.Controls {
		if ctl.Status == coverage.Failing {
			out = append(out, ctl.ID)
		}
	}
	return out
}

// approveConfirm is the approval's confirmation: what it freezes, and the
// controls failing today, by name, since approval records them as failing.
func approveConfirm(records int, failing []string) string {
	msg := "Approve and freeze " + components.Count(int64(records), "record", "records") + "?"
	switch len(failing) {
	case 0:
	case 1:
		msg += " " + failing[0] + " is failing and will be recorded as failing."
	default:
		msg += " " + components.Count(int64(len(failing)), "control is", "controls are") + " failing and will be recorded as failing: " +
			strings.Join(failing, ", ") + "."
	}
	return msg + " Nobody can change or remove the evidence afterwards."
}

// assessmentActions are the workflow steps the assessment's status allows;
// failing names the controls failing today.
func assessmentActions(a dbsqlc.Assessment, base string, records int, failing []string) []assessments.Action {
	switch assessment.StatusOf(a) {
	case assessment.StatusDraft:
		return []assessments.Action{
			{Label: "Submit for review", URL: base + "/submit", Class: "btn btn-primary", TestID: "submit"},
			{Label: "Attach new evidence from the period", URL: base + "/refresh", Class: "btn btn-secondary", TestID: "refresh"},
			{Label: "Delete draft", URL: base + "/delete", Class: "btn btn-danger", TestID: "delete",
				Confirm: "Delete this draft? Its evidence stays; only the assessment goes."},
		}
	case assessment.StatusReview:
		return []assessments.Action{
			{Label: "Approve and freeze", URL: base + "/approve", Class: "btn btn-primary", TestID: "approve",
				Confirm: approveConfirm(records, failing)},
			{Label: "Return to draft", URL: base + "/reopen", Class: "btn btn-secondary", TestID: "reopen"},
		}
	}
	return nil
}

// coverageView shows a report; with frozen set, it lists the controls whose
// state changed since then.
func coverageView(label string, r coverage.Report, frozen map[string]string, c echo.Context) assessments.Coverage {
	v := assessments.Coverage{Label: label, Percent: components.Percent(r.Coverage), Passing: r.Counts[coverage.Passing], InScope: r.InScope}
	for _, st := range coverage.Statuses {
		v.Counts = append(v.Counts, assessments.StateCount{Status: st, Count: r.Counts[st]})
	}
	for _, ctl := range r.Controls {
		if was, ok := frozen[ctl.ID]; ok && was != ctl.Status {
			v.Controls = append(v.Controls, assessments.ControlState{ID: ctl.ID, URL: orgPath(c, "/controls/"+ctl.ID), Today: ctl.Status, AtFreeze: was})
		}
	}
	return v
}

// frozenReport turns a stored record back into report figures.
func frozenReport(rec assessment.CoverageRecord) coverage.Report {
	return coverage.Report{InScope: rec.InScope, Coverage: rec.Coverage, Counts: rec.Counts}
}

// userEmail names a user for display, or "" when unknown.
func (s *Server) userEmail(c echo.Context, tx pgx.Tx, id *uuid.UUID) string {
	if id == nil {
		return ""
	}
	u, err := q.UserGet(c.Request().Context(), tx, *id)
	if err != nil {
		return ""
	}
	return u.Email
}
