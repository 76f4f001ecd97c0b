package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
)

// assessmentLimit is the one assessment a limited auditor may see, if any.
func assessmentLimit(c echo.Context) (uuid.UUID, bool) {
	id, ok := c.Get(ctxAssessmentLimit).(uuid.UUID)
	return id, ok
}

// limitToAssessment keeps an auditor limited to one assessment inside it.
// Which routes are open to them, and how, the route table declares (the
// limited route groups); every other route answers 403.
func (s *Server) limitToAssessment(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		limit, ok := assessmentLimit(c)
		if !ok {
			return next(c)
		}
		if rule := s.table[c.Request().Method+" "+c.Path()].limit; rule != nil {
			return rule(s, c, limit, next)
		}
		return errLimited
	}
}

// errLimited answers a limited auditor outside their assessment.
var errLimited = echo.NewHTTPError(http.StatusForbidden, "Your access is limited to one assessment.")

// toTheAssessment leads a limited auditor from the organization's home to
// their assessment.
func toTheAssessment(_ *Server, c echo.Context, limit uuid.UUID, _ echo.HandlerFunc) error {
	return c.Redirect(http.StatusSeeOther, orgPath(c, "/assessments/"+limit.String()))
}

// inTheAssessment lets a limited auditor reach their assessment's pages and
// downloads, and no other assessment's.
func inTheAssessment(_ *Server, c echo.Context, limit uuid.UUID, next echo.HandlerFunc) error {
	if c.Param("assessment") != limit.String() {
		return errLimited
	}
	return next(c)
}

// shownByHandler lets a limited auditor through to a handler that shows them
// only their assessment's part (its documents and revisions).
func shownByHandler(_ *Server, c echo.Context, _ uuid.UUID, next echo.HandlerFunc) error {
	return next(c)
}

// attachedOnly lets a limited auditor open a record attached to their
// assessment.
func attachedOnly(s *Server, c echo.Context, limit uuid.UUID, next echo.HandlerFunc) error {
	attached, err := s.attachedTo(c, limit)
	if err != nil {
		return err
	}
	if !attached {
		return errLimited
	}
	return next(c)
}

// attachedTo reports whether the record in the path is in the assessment.
func (s *Server) attachedTo(c echo.Context, assessmentID uuid.UUID) (bool, error) {
	id, err := strconv.ParseInt(c.Param("evidence"), 10, 64)
	if err != nil {
		return false, nil
	}
	var attached bool
	err = db.InOrg(c.Request().Context(), s.Pool, currentOrg(c).ID, func(tx pgx.Tx) error {
		attached, err = q.AssessmentIncludes(c.Request().Context(), tx, dbsqlc.AssessmentIncludesParams{AssessmentID: assessmentID, EvidenceID: id})
		return err
	})
	return attached, err
}

// versionsIncluded keeps the versions of a record that the assessment
// includes: a limited auditor is not shown the others, which they cannot
// open.
func versionsIncluded(ctx context.Context, tx pgx.Tx, assessmentID uuid.UUID, versions []dbsqlc.EvidenceHistoryRow) ([]dbsqlc.EvidenceHistoryRow, error) {
	ids := make([]int64, len(versions))
	for i, v := range versions {
		ids[i] = v.ID
	}
	included, err := q.AssessmentIncludedAmong(ctx, tx, dbsqlc.AssessmentIncludedAmongParams{AssessmentID: assessmentID, EvidenceIds: ids})
	if err != nil {
		return nil, fmt.Errorf("web: versions in the assessment: %w", err)
	}
	return slices.DeleteFunc(versions, func(v dbsqlc.EvidenceHistoryRow) bool { return !slices.Contains(included, v.ID) }), nil
}
