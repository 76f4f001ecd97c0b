package web

import (
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/export"
	"github.com/attesthq/attest/internal/scope"
)

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
		t, err := export.NewTable(c.Response(), append(append([]string{}, export.ScopeHeader...), "owner", "status", "evidence"))
		if err != nil {
			return err
		}
		for _, ctl := range report.Controls {
			o, owned := owners[ctl.ID]
			owner := ""
			if owned {
				owner = o.Email
			}
			if err := t.Write(append(export.ScopeRow(ctl.Criterion, ctl.NotApplicable), owner, ctl.Status, ctl.Evidence)); err != nil {
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
