package web

import (
	"errors"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/views/layout"
)

// invitationRevoke withdraws a pending invitation (its link stops working)
// and goes back to the page at back, below the organization. Owners only
// (the route table's guard).
func (s *Server) invitationRevoke(back string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := uuidParam(c, "invitation")
		if err != nil {
			return err
		}
		u := currentUser(c)
		err = s.Accounts.RevokeInvitation(c.Request().Context(), currentOrg(c).ID, audit.UserActor(u.UserID, u.Email), id)
		if errors.Is(err, account.ErrNotFound) {
			return echo.ErrNotFound
		}
		if err != nil {
			return err
		}
		flash(c, layout.FlashSuccess, "Invitation revoked. Its link no longer works.")
		return seeOther(c, orgPath(c, back))
	}
}
