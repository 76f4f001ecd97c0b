package web

import (
	"errors"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/views/layout"
)

// auditorRevoke ends an auditor's access at once: their next request to the
// organization answers 404. Owners only (the route table's guard).
func (s *Server) auditorRevoke(c echo.Context) error {
	id, err := uuidParam(c, "user")
	if err != nil {
		return err
	}
	u := currentUser(c)
	err = s.Accounts.RevokeAuditor(c.Request().Context(), currentOrg(c).ID, audit.UserActor(u.UserID, u.Email), id)
	if errors.Is(err, account.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	flash(c, layout.FlashSuccess, "Auditor access revoked. It ended at once.")
	return seeOther(c, orgPath(c, "/auditors"))
}
