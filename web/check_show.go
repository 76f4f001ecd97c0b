package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/exclusion"
	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/layout"
	"github.com/attesthq/attest/views/pages/checks"
)

const subjectsPerPage = 100

// checkDef finds the check named in the path for the connection's connector.
func (s *Server) checkDef(c echo.Context, conn dbsqlc.Connection) (connector.Check, error) {
	for _, chk := range s.Connectors.Get(conn.Connector).Checks() {
		if chk.Key == c.Param("check") {
			return chk, nil
		}
	}
	return connector.Check{}, echo.ErrNotFound
}

// checkShow is a check's page: its latest result, failing subjects and
// exclusions.
func (s *Server) checkShow(c echo.Context) error {
	return s.renderCheck(c, http.StatusOK, "", exclusionForm{})
}

// renderCheck renders the check page; a refused exclusion form comes back
// with its problem and what it had.
func (s *Server) renderCheck(c echo.Context, status int, formError string, form exclusionForm) error {
	conn, err := s.loadConnection(c)
	if err != nil {
		return err
	}
	chk, err := s.checkDef(c, conn)
	if err != nil {
		return err
	}
	page, err := parsePage(c.QueryParam("page"), subjectsPerPage)
	if err != nil {
		return err
	}
	sortBy := checks.SortBySubject
	if c.QueryParam("sort") == checks.SortBySince {
		sortBy = checks.SortBySince
	}
	now := s.Clock.Now()
	ctx := c.Request().Context()
	var latest *dbsqlc.CheckCurrent
	var rows []dbsqlc.CheckFailuresListRow
	records := map[string]int64{}
	err = db.InOrg(ctx, s.Pool, conn.OrgID, func(tx pgx.Tx) error {
		r, err := q.CheckCurrentGet(ctx, tx, dbsqlc.CheckCurrentGetParams{ConnectionID: conn.ID, CheckKey: chk.Key})
		if err == nil {
			latest = &r
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		rows, err = q.CheckFailuresList(ctx, tx, dbsqlc.CheckFailuresListParams{ConnectionID: conn.ID, CheckKey: chk.Key, Now: now,
			MaxRows: subjectsPerPage + 1, Skip: int32((page - 1) * subjectsPerPage), BySince: sortBy == checks.SortBySince})
		if err != nil {
			return err
		}
		records, err = s.subjectRecords(ctx, tx, conn, chk, rows)
		return err
	})
	if err != nil {
		return err
	}
	base := orgPath(c, "/connections/"+conn.ID.String())
	v := checks.Check{
		Page: s.page(c, chk.Title, "integrations"), ConnectionName: conn.DisplayName, ConnectionURL: base,
		Key: chk.Key, Title: chk.Title, Description: chk.Description, Criteria: chk.Criteria,
		CanWrite: account.CanWrite(currentRole(c)), ExcludeURL: base + "/checks/" + chk.Key + "/exclusions",
		DefaultExpiry: components.ISODate(now.AddDate(0, 3, 0)), MinExpiry: components.ISODate(now.AddDate(0, 0, 1)),
		MaxExpiry: components.ISODate(now.Add(exclusion.MaxDuration)), FormError: formError, FormSubjects: form.subjects,
		FormReason: form.reason, SortedBy: sortBy, CSVURL: base + "/checks/" + chk.Key + "/failing.csv",
	}
	if f := chk.Fix; f.Sentence != "" {
		v.Guidance = &checks.Guidance{Sentence: f.Sentence, LinkLabel: f.LinkLabel, URL: f.URL}
	}
	v.Pager.Earlier, v.Pager.Later = "Previous", "Next"
	pageURL := func(page int) string { return "?sort=" + sortBy + "&page=" + strconv.Itoa(page) }
	if latest != nil {
		at := latest.EvaluatedAt
		v.Status, v.Reason, v.EvaluatedAt = latest.Status, latest.Reason, &at
		v.Total, v.Failing, v.Excluded = int(latest.SubjectsTotal), int(latest.SubjectsFailing), int(latest.SubjectsExcluded)
	}
	if len(rows) > subjectsPerPage {
		rows = rows[:subjectsPerPage]
		v.Pager.NextURL = pageURL(page + 1)
	}
	if page > 1 {
		v.Pager.PrevURL = pageURL(page - 1)
	}
	if len(rows) > 0 {
		first := (page-1)*subjectsPerPage + 1
		v.Pager.Summary = "Subjects " + components.Int(int64(first)) + " to " + components.Int(int64(first+len(rows)-1))
	}
	for _, r := range rows {
		sub := checks.Subject{Key: r.SubjectKey, Label: r.SubjectLabel, Detail: r.Detail, Since: r.Since,
			Excluded: r.ExclusionID != "", ExclusionReason: r.ExclusionReason, ExclusionEnds: r.ExclusionExpiresAt}
		if id, ok := records[r.SubjectKey]; ok {
			sub.EvidenceURL = orgPath(c, "/evidence/"+strconv.FormatInt(id, 10))
		}
		v.Subjects = append(v.Subjects, sub)
	}
	return s.render(c, status, checks.Page(v))
}

// subjectRecords finds the current evidence record of each listed subject
// among the kinds of the check's datasets. A check lists its datasets from
// the inventory to the one it judges, so the last dataset's record wins
// (a user's MFA registration over the user).
func (s *Server) subjectRecords(ctx context.Context, tx pgx.Tx, conn dbsqlc.Connection, chk connector.Check, rows []dbsqlc.CheckFailuresListRow) (map[string]int64, error) {
	datasets := s.Connectors.Get(conn.Connector).Datasets()
	var kinds []string
	for _, key := range slices.Backward(chk.Datasets) {
		if i := slices.IndexFunc(datasets, func(ds connector.Dataset) bool { return ds.Key == key }); i >= 0 {
			kinds = append(kinds, datasets[i].Kinds...)
		}
	}
	keys := make([]string, len(rows))
	for i, r := range rows {
		keys[i] = r.SubjectKey
	}
	found, err := q.CheckSubjectEvidence(ctx, tx, dbsqlc.CheckSubjectEvidenceParams{ConnectionID: conn.ID, SubjectKeys: keys, Kinds: kinds})
	if err != nil {
		return nil, fmt.Errorf("web: subject records: %w", err)
	}
	out := make(map[string]int64, len(found))
	for _, f := range found {
		out[f.SubjectKey] = f.EvidenceID
	}
	return out, nil
}

// exclusionCreate excuses the selected failing subjects from the check, with
// one reason and end date.
func (s *Server) exclusionCreate(c echo.Context) error {
	conn, err := s.loadConnection(c)
	if err != nil {
		return err
	}
	chk, err := s.checkDef(c, conn)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	ex, problem := parseExclusionForm(form)
	if problem != "" {
		return s.renderCheck(c, http.StatusUnprocessableEntity, problem, ex)
	}
	u := currentUser(c)
	err = s.Exclusions.Create(c.Request().Context(), conn.OrgID, conn.ID, audit.UserActor(u.UserID, u.Email), u.UserID,
		chk.Key, ex.subjects, ex.reason, ex.ends)
	switch {
	case errors.Is(err, exclusion.ErrReason), errors.Is(err, exclusion.ErrExpiry), errors.Is(err, exclusion.ErrNotFailing):
		msg := err.Error()
		return s.renderCheck(c, http.StatusUnprocessableEntity, "Not excluded: "+msg+".", ex)
	case err != nil:
		return err
	}
	flash(c, layout.FlashSuccess, "Excluded "+components.Count(int64(len(ex.subjects)), "subject", "subjects")+
		". The check and your coverage reflect it now; each exclusion is visible to auditors and in exports.")
	return seeOther(c, orgPath(c, "/connections/"+conn.ID.String()+"/checks/"+url.PathEscape(chk.Key)))
}

// exclusionForm is a parsed exclusion form.
type exclusionForm struct {
	subjects []string
	reason   string
	// ends is the last second of the day the form names.
	ends time.Time
}

// parseExclusionForm reads the exclusion form; problem is the form's
// message when no subject is selected or the end date is not a date. The
// reason, the subjects and the date's range are checked by the exclusion
// service.
func parseExclusionForm(form url.Values) (ex exclusionForm, problem string) {
	ex = exclusionForm{subjects: form["subject"], reason: form.Get("reason")}
	if len(ex.subjects) == 0 {
		return ex, "Select the subjects to exclude."
	}
	day, err := time.Parse(time.DateOnly, form.Get("expires"))
	if err != nil {
		return ex, "Choose the date the exclusion ends."
	}
	ex.ends = day.Add(24*time.Hour - time.Second)
	return ex, ""
}

// exclusionRevoke ends an exclusion.
func (s *Server) exclusionRevoke(c echo.Context) error {
	conn, err := s.loadConnection(c)
	if err != nil {
		return err
	}
	id, err := uuidParam(c, "exclusion")
	if err != nil {
		return err
	}
	u := currentUser(c)
	err = s.Exclusions.Revoke(c.Request().Context(), conn.OrgID, conn.ID, audit.UserActor(u.UserID, u.Email), u.UserID, id)
	if errors.Is(err, exclusion.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	flash(c, layout.FlashSuccess, "Exclusion ended.")
	return seeOther(c, orgPath(c, "/connections/"+conn.ID.String()))
}
