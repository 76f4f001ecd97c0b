package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/assessment"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/layout"
)

// stepFunc runs one workflow step and says what happened.
type stepFunc func(ctx context.Context, org uuid.UUID, actor audit.Actor, id uuid.UUID) (string, error)

// assessmentStep runs step on the assessment in the path and returns to its
// page with the outcome; a step its status does not allow explains itself.
func (s *Server) assessmentStep(step stepFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := uuidParam(c, "assessment")
		if err != nil {
			return err
		}
		u := currentUser(c)
		message, err := step(c.Request().Context(), currentOrg(c).ID, audit.UserActor(u.UserID, u.Email), id)
		back := orgPath(c, "/assessments/"+id.String())
		var held *assessment.HeldError
		switch {
		case errors.Is(err, assessment.ErrNotFound):
			return echo.ErrNotFound
		case errors.Is(err, assessment.ErrState):
			flash(c, layout.FlashError, "Not done: the assessment's status does not allow that step. Reload to see where it stands.")
			return seeOther(c, back)
		case errors.As(err, &held):
			flash(c, layout.FlashError, heldMessage(held))
			return seeOther(c, back)
		case err != nil:
			return err
		}
		if message == "" { // deleted
			back = orgPath(c, "/assessments")
			message = "Draft deleted."
		}
		flash(c, layout.FlashSuccess, message)
		return seeOther(c, back)
	}
}

// assessmentSubmit moves a draft to review.
func (s *Server) assessmentSubmit(ctx context.Context, org uuid.UUID, actor audit.Actor, id uuid.UUID) (string, error) {
	return "Submitted for review. The evidence no longer changes by hand.", s.Assessments.Submit(ctx, org, actor, id)
}

// assessmentReopen returns an assessment in review to draft.
func (s *Server) assessmentReopen(ctx context.Context, org uuid.UUID, actor audit.Actor, id uuid.UUID) (string, error) {
	return "Returned to draft.", s.Assessments.Reopen(ctx, org, actor, id)
}

// assessmentRefresh attaches period evidence collected since the draft began.
func (s *Server) assessmentRefresh(ctx context.Context, org uuid.UUID, actor audit.Actor, id uuid.UUID) (string, error) {
	n, err := s.Assessments.Refresh(ctx, org, actor, id)
	return "Attached " + countRecords(n) + " collected since.", err
}

// assessmentApprove freezes an assessment in review.
func (s *Server) assessmentApprove(ctx context.Context, org uuid.UUID, actor audit.Actor, id uuid.UUID) (string, error) {
	a, err := s.Assessments.Approve(ctx, org, actor, id)
	if err != nil {
		return "", err
	}
	return "Approved and frozen: " + components.Count(int64(*a.EvidenceCount), "record", "records") + ", root hash recorded.", nil
}

// assessmentDelete discards a draft.
func (s *Server) assessmentDelete(ctx context.Context, org uuid.UUID, actor audit.Actor, id uuid.UUID) (string, error) {
	return "", s.Assessments.Delete(ctx, org, actor, id)
}

// heldMessage explains why a draft was not deleted and what to do first.
func heldMessage(h *assessment.HeldError) string {
	var who []string
	if n := len(h.Invitations); n > 0 {
		who = append(who, components.Count(int64(n), "pending invitation", "pending invitations")+" ("+strings.Join(h.Invitations, ", ")+")")
	}
	if n := len(h.Auditors); n > 0 {
		who = append(who, components.Count(int64(n), "auditor", "auditors")+" ("+strings.Join(h.Auditors, ", ")+")")
	}
	return "Not deleted: " + strings.Join(who, " and ") + " can see only this assessment. " +
		"Revoke them on the Auditors page first, then delete the draft."
}

// assessmentAttach adds a record to the draft chosen in the form on the
// record's page.
func (s *Server) assessmentAttach(c echo.Context) error {
	evidenceID, err := strconv.ParseInt(c.Param("evidence"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	id, err := uuid.Parse(c.FormValue("assessment_id"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "Choose the draft assessment to attach the record to.")
	}
	u := currentUser(c)
	err = s.Assessments.Attach(c.Request().Context(), currentOrg(c).ID, audit.UserActor(u.UserID, u.Email), id, evidenceID)
	switch {
	case errors.Is(err, assessment.ErrNotFound):
		return echo.NewHTTPError(http.StatusBadRequest, "That assessment does not exist.")
	case errors.Is(err, assessment.ErrState):
		flash(c, layout.FlashError, "Not attached: only a draft assessment takes records by hand.")
	case err != nil:
		return err
	default:
		flash(c, layout.FlashSuccess, "Record attached to the assessment.")
	}
	return seeOther(c, orgPath(c, "/evidence/"+strconv.FormatInt(evidenceID, 10)))
}

// assessmentDetach removes a record from a draft.
func (s *Server) assessmentDetach(c echo.Context) error {
	evidenceID, err := strconv.ParseInt(c.Param("evidence"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	return s.assessmentStep(func(ctx context.Context, org uuid.UUID, actor audit.Actor, id uuid.UUID) (string, error) {
		return "Record removed. Refreshing from the period will not bring it back.", s.Assessments.Detach(ctx, org, actor, id, evidenceID)
	})(c)
}
