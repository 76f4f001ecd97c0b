package web

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/pgtext"
	"github.com/attesthq/attest/views/pages/evidence"
)

const evidencePageSize = 50

// evidenceFilter is the parsed query of the evidence list (and its export).
type evidenceFilter struct {
	evidence.Filters
	connID   *uuid.UUID
	from, to *time.Time
}

// maxSubjectFilter is the longest subject filter, in bytes.
const maxSubjectFilter = 200

// parseEvidenceFilter reads the filters from the query and lists the bad
// values, which it leaves out: the list ignores them, the export refuses
// them.
func parseEvidenceFilter(query url.Values) (evidenceFilter, []string) {
	f := evidenceFilter{Filters: evidence.Filters{
		Kind: query.Get("kind"), Connection: query.Get("connection"),
		From: query.Get("from"), To: query.Get("to"), Subject: pgtext.Cut(strings.TrimSpace(query.Get("subject")), maxSubjectFilter),
	}}
	var problems []string
	if f.Connection != "" {
		if id, err := uuid.Parse(f.Connection); err == nil {
			f.connID = &id
		} else {
			problems, f.Connection = append(problems, "the connection filter is not valid"), ""
		}
	}
	for _, d := range []struct {
		raw    *string
		out    **time.Time
		addDay bool
	}{{&f.From, &f.from, false}, {&f.To, &f.to, true}} {
		if *d.raw == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, *d.raw)
		if err != nil {
			problems, *d.raw = append(problems, fmt.Sprintf("%q is not a date (YYYY-MM-DD)", *d.raw)), ""
			continue
		}
		if d.addDay {
			t = t.AddDate(0, 0, 1)
		}
		*d.out = &t
	}
	return f, problems
}

// exportQuery is the query of the export of what the list shows (the
// export does not filter by subject).
func (f evidenceFilter) exportQuery() url.Values {
	v := f.query()
	v.Del("subject")
	return v
}

// withQuery appends a query, if any, to a path.
func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

func (f evidenceFilter) query() url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"kind": f.Kind, "connection": f.Connection, "from": f.From, "to": f.To, "subject": f.Subject} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

// evidenceList lists evidence records, newest first, keyset-paginated.
func (s *Server) evidenceList(c echo.Context) error {
	f, problems := parseEvidenceFilter(c.QueryParams())
	problem := ""
	if len(problems) > 0 {
		problem = "Some filters were ignored: " + strings.Join(problems, "; ") + "."
	}
	params := dbsqlc.EvidenceListParams{Kind: f.Kind, ConnectionID: f.connID, CollectedFrom: f.from, CollectedTo: f.to,
		Subject: f.Subject, MaxRows: evidencePageSize + 1}
	if cur := c.QueryParam("before"); cur != "" {
		micros, id, ok := parseCursor(cur)
		if ok {
			t := time.UnixMicro(micros)
			params.BeforeCollected, params.BeforeID = &t, id
		}
	}
	org := currentOrg(c)
	ctx := c.Request().Context()
	var rows []dbsqlc.EvidenceListRow
	var conns []dbsqlc.Connection
	var total int64
	err := db.InOrg(ctx, s.Pool, org.ID, func(tx pgx.Tx) error {
		var err error
		if rows, err = q.EvidenceList(ctx, tx, params); err != nil {
			return err
		}
		if total, err = q.EvidenceCount(ctx, tx, dbsqlc.EvidenceCountParams{Kind: params.Kind, ConnectionID: params.ConnectionID,
			CollectedFrom: params.CollectedFrom, CollectedTo: params.CollectedTo, Subject: params.Subject}); err != nil {
			return err
		}
		conns, err = q.ConnectionListAll(ctx, tx)
		return err
	})
	if err != nil {
		return err
	}
	titles := s.kindTitles()
	view := evidence.List{Page: s.page(c, "Evidence", "evidence"), Filters: f.Filters, Error: problem, Total: total,
		ExportURL: orgPath(c, withQuery("/evidence/export", f.exportQuery()))}
	for _, conn := range s.Connectors.All() {
		for _, k := range conn.Definition().Evidence {
			view.Kinds = append(view.Kinds, evidence.Option{Value: k.Kind, Label: k.Title})
			one := f.exportQuery()
			one.Set("kind", k.Kind)
			view.KindExports = append(view.KindExports, evidence.Option{Value: orgPath(c, withQuery("/evidence/export", one)), Label: k.Title})
		}
	}
	for _, cn := range conns {
		view.Connections = append(view.Connections, evidence.Option{Value: cn.ID.String(), Label: cn.DisplayName})
	}
	more := len(rows) > evidencePageSize
	if more {
		rows = rows[:evidencePageSize]
	}
	for _, r := range rows {
		view.Rows = append(view.Rows, evidence.Row{
			URL: orgPath(c, "/evidence/"+strconv.FormatInt(r.ID, 10)), Kind: r.Kind, KindTitle: titles[r.Kind],
			Subject: r.SubjectLabel, Connection: r.ConnectionName, ObservedAt: r.ObservedAt, Collected: r.CollectedAt,
			Short: hex.EncodeToString(r.Fingerprint)[:12], Current: r.IsCurrent,
		})
	}
	qv := f.query()
	if more {
		last := rows[len(rows)-1]
		next := f.query()
		next.Set("before", fmt.Sprintf("%d_%d", last.CollectedAt.UnixMicro(), last.ID))
		view.Pager.NextURL = orgPath(c, "/evidence?"+next.Encode())
	}
	if c.QueryParam("before") != "" {
		view.Pager.PrevURL = orgPath(c, "/evidence?"+qv.Encode())
		view.Pager.Summary = "Older records"
	}
	return s.render(c, http.StatusOK, evidence.ListPage(view))
}

// kindTitles names every evidence kind of every connector.
func (s *Server) kindTitles() map[string]string {
	out := map[string]string{}
	for _, conn := range s.Connectors.All() {
		for _, k := range conn.Definition().Evidence {
			out[k.Kind] = k.Title
		}
	}
	return out
}
