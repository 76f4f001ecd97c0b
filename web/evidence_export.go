package web

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/internal/export"
)

// evidenceExportRequest is a checked export query.
type evidenceExportRequest struct {
	filter evidenceFilter
	kind   *connector.EvidenceKind
	// kinds are the kinds the download holds: the one kind, or every kind
	// (of the control, when one is given).
	kinds   []connector.EvidenceKind
	control string
}

// parseEvidenceExport checks the query; every problem is reported at once.
func (s *Server) parseEvidenceExport(c echo.Context) (evidenceExportRequest, error) {
	f, problems := parseEvidenceFilter(c.QueryParams())
	r := evidenceExportRequest{filter: f, control: strings.TrimSpace(c.QueryParam("control"))}
	if f.from != nil && f.to != nil && !f.from.Before(*f.to) {
		problems = append(problems, "the start date is after the end date")
	}
	if f.Kind != "" {
		if k, ok := s.evidenceKind(f.Kind); ok {
			r.kind, r.kinds = &k, []connector.EvidenceKind{k}
		} else {
			problems = append(problems, "there is no evidence kind "+quote(f.Kind))
		}
	} else {
		r.kinds = s.evidenceKinds()
	}
	if r.control != "" {
		if crit, ok := coverage.Find(r.control); ok {
			r.control = crit.ID
			r.kinds = slices.DeleteFunc(r.kinds, func(k connector.EvidenceKind) bool { return !slices.Contains(k.Criteria, crit.ID) })
		} else {
			problems = append(problems, "there is no control "+quote(r.control))
		}
	}
	if len(problems) > 0 {
		return r, echo.NewHTTPError(http.StatusBadRequest, "Nothing was exported: "+strings.Join(problems, "; ")+".")
	}
	return r, nil
}

func quote(s string) string {
	if len(s) > 100 {
		s = s[:100]
	}
	return `"` + s + `"`
}

// details are the export's filters, for its audit row.
func (r evidenceExportRequest) details() map[string]any {
	d := map[string]any{}
	for k, v := range map[string]string{"kind": r.filter.Kind, "connection": r.filter.Connection, "from": r.filter.From,
		"to": r.filter.To, "control": r.control} {
		if v != "" {
			d[k] = v
		}
	}
	return d
}

// evidenceExport downloads the evidence the filters select: one kind's
// CSV, or without a kind a ZIP with one CSV per kind that has records and
// SHA256SUMS. It streams from one transaction, which also records the
// export, with its real row count, once the last row is out.
func (s *Server) evidenceExport(c echo.Context) error {
	r, err := s.parseEvidenceExport(c)
	if err != nil {
		return err
	}
	org := currentOrg(c)
	ctx := c.Request().Context()
	f := export.Filter{ConnectionID: r.filter.connID, From: r.filter.from, To: r.filter.to}
	if r.control != "" {
		f.Kinds = []string{}
		for _, k := range r.kinds {
			f.Kinds = append(f.Kinds, k.Kind)
		}
	}
	name := "attest-" + org.Slug + "-evidence"
	switch {
	case r.kind != nil:
		name += "-" + fileSlug(r.kind.Kind)
	case r.control != "":
		name += "-" + fileSlug(r.control)
	}
	name += "-" + s.Clock.Now().UTC().Format(time.DateOnly)
	details := r.details()
	err = s.exportTx(ctx, org.ID, func(tx pgx.Tx) error {
		e := kindExport{c: c, tx: tx, org: org.Slug}
		var rows int
		var err error
		if r.kind != nil {
			details["format"] = "csv"
			startDownload(c, "text/csv; charset=utf-8", name+".csv")
			e.open, e.always = func() (io.Writer, error) { return c.Response(), nil }, true
			rows, err = e.run(ctx, *r.kind, f)
		} else {
			details["format"] = "zip"
			startDownload(c, "application/zip", name+".zip")
			rows, err = s.evidenceZip(ctx, c, e, r.kinds, f)
		}
		if err != nil {
			return err
		}
		details["rows"] = rows
		return s.recordExport(ctx, c, tx, "organization", org.ID.String(), details)
	})
	return s.abortDownload(c, err)
}

// evidenceZip writes a bundle with evidence/<kind>.csv for each kind that
// has records.
func (s *Server) evidenceZip(ctx context.Context, c echo.Context, e kindExport, kinds []connector.EvidenceKind, f export.Filter) (int, error) {
	b := export.NewBundle(c.Response())
	total := 0
	for _, k := range kinds {
		e.open = func() (io.Writer, error) { return b.Create("evidence/" + k.Kind + ".csv") }
		n, err := e.run(ctx, k, f)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, b.Close()
}
