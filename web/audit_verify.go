package web

import (
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/audit"
	auditpage "github.com/attesthq/attest/views/pages/audit"
)

// auditVerify walks the organization's hash chain and reports the result.
func (s *Server) auditVerify(c echo.Context) error {
	org := currentOrg(c)
	ctx := c.Request().Context()
	var rep audit.Report
	err := db.InOrg(ctx, s.Pool, org.ID, func(tx pgx.Tx) error {
		var err error
		rep, err = audit.Verify(ctx, tx, org.ID)
		return err
	})
	if err != nil {
		return err
	}
	v := auditpage.VerifyResult{Rows: rep.Rows, OK: rep.Break == nil}
	if rep.Break != nil {
		v.Seq, v.Reason = rep.Break.Seq, rep.Break.Reason
	}
	if fragmentRequest(c) {
		return s.render(c, http.StatusOK, auditpage.Verify(v))
	}
	return s.render(c, http.StatusOK, auditpage.VerifyPage(s.page(c, "Audit log verification", "audit"), v))
}
