package web

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/assessment"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/internal/export"
	"github.com/attesthq/attest/internal/scope"
)

// scopeHeader are the statement of applicability's columns.
var scopeHeader = []string{"criterion", "category", "summary", "applicable", "justification", "marked_by", "marked_at"}

// scopeRow is one criterion of a statement of applicability; x is set when
// it is not applicable.
func scopeRow(c coverage.Criterion, x *coverage.Exemption) []string {
	if x == nil {
		return []string{c.ID, c.Category, c.Summary, "yes", "", "", ""}
	}
	return []string{c.ID, c.Category, c.Summary, "no", x.Justification, x.MarkedBy, stamp(x.MarkedAt)}
}

// scopeExport downloads the organization's statement of applicability as
// CSV: every criterion of its categories, whether it applies and why not,
// with its owner, status and the evidence that made it pass.
func (s *Server) scopeExport(c echo.Context) error {
	org := currentOrg(c)
	ctx := c.Request().Context()
	name := fmt.Sprintf("attest-%s-statement-of-applicability-%s.csv", org.Slug, s.Clock.Now().UTC().Format(time.DateOnly))
	var owners map[string]scope.Owner
	report, err := s.loadCoverage(c, nil, func(tx pgx.Tx) error {
		var err error
		owners, err = scope.Owners(ctx, tx)
		return err
	})
	if err != nil {
		return err
	}
	err = db.InOrg(ctx, s.Pool, org.ID, func(tx pgx.Tx) error {
		startDownload(c, "text/csv; charset=utf-8", name)
		t, err := export.NewTable(c.Response(), append(append([]string{}, scopeHeader...), "owner", "status", "evidence"))
		if err != nil {
			return err
		}
		for _, ctl := range report.Controls {
			o, owned := owners[ctl.ID]
			owner := ""
			if owned {
				owner = o.Email
			}
			if err := t.Write(append(scopeRow(ctl.Criterion, ctl.NotApplicable), owner, ctl.Status, ctl.Evidence)); err != nil {
				return err
			}
		}
		if err := t.Flush(); err != nil {
			return err
		}
		return s.recordExport(ctx, c, tx, "scope", org.ID.String(), map[string]any{"format": "csv", "rows": t.Rows()})
	})
	return s.abortDownload(c, err)
}

// writeAssessmentScope writes scope.csv into an assessment's bundle: each
// criterion of its scope, with the not-applicable set recorded at approval
// (the current one before).
func writeAssessmentScope(ctx context.Context, tx pgx.Tx, b *export.Bundle, a dbsqlc.Assessment, rows map[string]int) error {
	marked, err := assessment.NotApplicable(ctx, tx, a)
	if err != nil {
		return err
	}
	byID := make(map[string]*coverage.Exemption, len(marked))
	for i := range marked {
		byID[marked[i].Criterion] = &marked[i].Exemption
	}
	criteria := assessment.Scope(a)
	return writeTable(b, "scope.csv", rows, scopeHeader, len(criteria), func(i int) []string {
		return scopeRow(criteria[i], byID[criteria[i].ID])
	})
}
