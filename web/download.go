package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/document"
	"github.com/attesthq/attest/internal/export"
)

// startDownload sends the headers of a file download; the body follows.
func startDownload(c echo.Context, contentType, filename string) {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, contentType)
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
}

// abortDownload ends a download that failed after its headers were sent: the
// connection is cut, so the client sees a broken transfer rather than a file
// that looks complete. Before the headers, the error page is still possible.
func (s *Server) abortDownload(c echo.Context, err error) error {
	if err == nil || !c.Response().Committed {
		return err
	}
	s.Log.ErrorContext(c.Request().Context(), "download failed", slog.String("route", c.Path()), slog.Any("err", err))
	panic(http.ErrAbortHandler)
}

// fileSlug makes s safe in a file name: lowercase letters, digits, dots
// and single dashes.
func fileSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

// evidenceKinds lists every evidence kind of every connector, in order,
// then document revisions.
func (s *Server) evidenceKinds() []connector.EvidenceKind {
	var out []connector.EvidenceKind
	for _, conn := range s.Connectors.All() {
		out = append(out, conn.Definition().Evidence...)
	}
	return append(out, document.EvidenceKind)
}

// evidenceKind finds a kind by name.
func (s *Server) evidenceKind(kind string) (connector.EvidenceKind, bool) {
	for _, k := range s.evidenceKinds() {
		if k.Kind == kind {
			return k, true
		}
	}
	return connector.EvidenceKind{}, false
}

// kindExport streams one kind's records into a CSV, flushing the response
// as it goes. The CSV is opened by open when the first record arrives, or
// at the end if there was none and always is set; it returns the row count.
type kindExport struct {
	c      echo.Context
	tx     pgx.Tx
	org    string
	open   func() (io.Writer, error)
	always bool
}

func (e kindExport) run(ctx context.Context, k connector.EvidenceKind, f export.Filter) (int, error) {
	return export.KindCSV{Org: e.org, Open: e.open, Always: e.always, Flush: e.c.Response().Flush}.Write(ctx, e.tx, k, f)
}

// exportTx runs a download's transaction in org. It streams for as long as
// the client reads, so it runs under the downloads' own statement and idle
// limits (config.ExportLimits.Timeout) rather than the pool's.
func (s *Server) exportTx(ctx context.Context, org uuid.UUID, fn func(pgx.Tx) error) error {
	return db.InOrg(ctx, s.Pool, org, func(tx pgx.Tx) error {
		if err := db.SetLocalTimeouts(ctx, tx, s.Config.Exports.Timeout); err != nil {
			return err
		}
		return fn(tx)
	})
}

// recordExport writes the evidence.export audit row in the export's
// transaction, once every row is out.
func (s *Server) recordExport(ctx context.Context, c echo.Context, tx pgx.Tx, target, targetID string, details map[string]any) error {
	user := currentUser(c)
	return audit.Record(ctx, tx, currentOrg(c).ID, s.Clock.Now(), audit.UserActor(user.UserID, user.Email), audit.Event{
		Action: "evidence.export", TargetType: target, TargetID: targetID, Details: details})
}
