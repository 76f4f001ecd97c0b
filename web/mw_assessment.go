package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

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

// limitToAssessment keeps an auditor limited to one assessment inside it:
// its page and downloads, and the records attached to it. The organization's
// home leads there; anything else answers 403.
func (s *Server) limitToAssessment(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		limit, ok := assessmentLimit(c)
		if !ok {
			return next(c)
		}
		home := orgPath(c, "/assessments/"+limit.String())
		route := strings.TrimPrefix(c.Path(), "/o/:org")
		switch {
		case route == "/":
			return c.Redirect(http.StatusSeeOther, home)
		case strings.HasPrefix(route, "/assessments/:assessment") && c.Param("assessment") == limit.String():
			return next(c)
		case route == "/documents" || route == "/documents/:document" || route == "/documents/:document/revisions/:revision/download":
			return next(c) // the handlers show only the assessment's documents and revisions
		case route == "/evidence/:evidence":
			attached, err := s.attachedTo(c, limit)
			if err != nil || attached {
				return orNext(err, next, c)
			}
		}
		return echo.NewHTTPError(http.StatusForbidden, "Your access is limited to one assessment.")
	}
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

func orNext(err error, next echo.HandlerFunc, c echo.Context) error {
	if err != nil {
		return err
	}
	return next(c)
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
