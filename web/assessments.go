package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/assessment"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/layout"
	"github.com/attesthq/attest/views/pages/assessments"
)

// assessmentsList lists the organization's assessments with the form that
// starts a new one, its period defaulting to the evidence that exists.
func (s *Server) assessmentsList(c echo.Context) error {
	return s.renderAssessments(c, http.StatusOK, assessments.NewForm{}, account.ParseSettings(currentOrg(c).Settings).Categories)
}

// renderAssessments renders the list and the form; a form without a period
// gets the default one: from the first evidence (at most a year back) to
// today.
func (s *Server) renderAssessments(c echo.Context, status int, form assessments.NewForm, checked []string) error {
	ctx := c.Request().Context()
	var rows []dbsqlc.AssessmentListRow
	var first *time.Time
	err := db.InOrg(ctx, s.Pool, currentOrg(c).ID, func(tx pgx.Tx) error {
		var err error
		if rows, err = q.AssessmentList(ctx, tx); err != nil {
			return err
		}
		first, err = firstEvidence(ctx, tx)
		return err
	})
	if err != nil {
		return err
	}
	form.Action = orgPath(c, "/assessments")
	if form.PeriodStart == "" && form.PeriodEnd == "" {
		form.PeriodStart, form.PeriodEnd = defaultPeriod(s.Clock.Now(), first)
	}
	if first != nil {
		form.FirstEvidence = components.Day(*first)
	}
	for _, cat := range coverage.Categories {
		if cat.Optional {
			form.Categories = append(form.Categories, assessments.Category{Key: cat.Key, Name: cat.Name, Checked: slices.Contains(checked, cat.Key)})
		}
	}
	l := assessments.List{Page: s.page(c, "Assessments", "assessments"), CanWrite: account.CanWrite(currentRole(c)), Form: form}
	for _, r := range rows {
		l.Rows = append(l.Rows, assessments.Summary{Name: r.Name, URL: orgPath(c, "/assessments/"+r.ID.String()),
			Period: components.DayRange(r.PeriodStart, r.PeriodEnd), Status: r.Status, Records: r.Attached, Created: r.CreatedAt, Approved: r.ApprovedAt})
	}
	return s.render(c, status, assessments.ListPage(l))
}

// assessmentCreate starts a draft and attaches its period's evidence.
func (s *Server) assessmentCreate(c echo.Context) error {
	params, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	form, draft := parseAssessmentForm(params)
	if form.Error != "" {
		return s.renderAssessments(c, http.StatusUnprocessableEntity, form, draft.Categories)
	}
	categories := draft.Categories
	u := currentUser(c)
	a, attached, err := s.Assessments.Create(c.Request().Context(), currentOrg(c).ID, audit.UserActor(u.UserID, u.Email), draft)
	var invalid *assessment.InvalidError
	if errors.As(err, &invalid) {
		form.Error = "Not created: " + invalid.Error() + "."
		return s.renderAssessments(c, http.StatusUnprocessableEntity, form, categories)
	}
	if err != nil {
		return err
	}
	flash(c, layout.FlashSuccess, "Draft created with "+countRecords(attached)+" from its period. Review them, then submit it for review.")
	warning, err := s.periodWarning(c, draft.PeriodStart)
	if err != nil {
		return err
	}
	if warning != "" {
		flash(c, layout.FlashInfo, warning)
	}
	return seeOther(c, orgPath(c, "/assessments/"+a.ID.String()))
}

// parseAssessmentForm reads the new-assessment form: the form to show
// again and the draft it asks for. form.Error is set when the period's days
// are not dates; the rest is checked by the assessment service.
func parseAssessmentForm(params url.Values) (form assessments.NewForm, draft assessment.Draft) {
	form = assessments.NewForm{Name: params.Get("name"), PeriodStart: params.Get("period_start"), PeriodEnd: params.Get("period_end")}
	draft = assessment.Draft{Name: form.Name, Categories: params["categories"]}
	start, errStart := time.Parse(time.DateOnly, form.PeriodStart)
	end, errEnd := time.Parse(time.DateOnly, form.PeriodEnd)
	if errStart != nil || errEnd != nil {
		form.Error = "Not created: enter the period's first and last day as dates."
		return form, draft
	}
	draft.PeriodStart, draft.PeriodEnd = start, end
	return form, draft
}

func countRecords(n int64) string { return components.Count(n, "record", "records") }
