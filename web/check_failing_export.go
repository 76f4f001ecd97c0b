package web

import (
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/export"
)

// failingHeader are the failing-subjects CSV's columns.
var failingHeader = []string{"subject", "subject_key", "why", "failing_since", "excluded", "exclusion_reason", "exclusion_until"}

// failingBatch is how many failing subjects the CSV reads at a time.
const failingBatch = 1000

// checkFailingExport downloads a check's failing subjects as CSV, excluded
// ones last, through the evidence CSV's formula-safe writer, and audits the
// download as every export is.
func (s *Server) checkFailingExport(c echo.Context) error {
	conn, err := s.loadConnection(c)
	if err != nil {
		return err
	}
	chk, err := s.checkDef(c, conn)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	ctx := c.Request().Context()
	name := fmt.Sprintf("attest-%s-%s-failing-%s.csv", currentOrg(c).Slug, fileSlug(chk.Key), now.UTC().Format(time.DateOnly))
	err = s.exportTx(ctx, conn.OrgID, func(tx pgx.Tx) error {
		startDownload(c, "text/csv; charset=utf-8", name)
		t, err := export.NewTable(c.Response(), failingHeader)
		if err != nil {
			return err
		}
		for skip := 0; ; skip += failingBatch {
			rows, err := q.CheckFailuresList(ctx, tx, dbsqlc.CheckFailuresListParams{ConnectionID: conn.ID, CheckKey: chk.Key, Now: now,
				MaxRows: failingBatch, Skip: int32(skip)})
			if err != nil {
				return fmt.Errorf("web: failing subjects: %w", err)
			}
			for _, r := range rows {
				if err := t.Write(failingRow(r)); err != nil {
					return err
				}
			}
			if len(rows) < failingBatch {
				break
			}
		}
		if err := t.Flush(); err != nil {
			return err
		}
		return s.recordExport(ctx, c, tx, "connection", conn.ID.String(),
			map[string]any{"format": "csv", "check": chk.Key, "subjects": "failing", "rows": t.Rows()})
	})
	return s.abortDownload(c, err)
}

// failingRow is one failing subject as CSV cells.
func failingRow(r dbsqlc.CheckFailuresListRow) []string {
	excluded := r.ExclusionID != ""
	reason, until := "", ""
	if excluded {
		reason, until = r.ExclusionReason, export.Stamp(r.ExclusionExpiresAt)
	}
	return []string{r.SubjectLabel, r.SubjectKey, r.Detail, export.Stamp(r.Since), strconv.FormatBool(excluded), reason, until}
}
