package web

import (
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/views/layout"
	"github.com/attesthq/attest/views/pages/ops"
)

// opsHealth shows platform operators every organization's connections by
// health and the oldest last successful sync. It reads through
// ops_org_health, which returns counts only and itself refuses a caller
// that is not an operator (the transaction names the user).
func (s *Server) opsHealth(c echo.Context) error {
	ctx := c.Request().Context()
	var rows []dbsqlc.OrgHealthListRow
	err := db.AsUser(ctx, s.Pool, currentUser(c).UserID, func(tx pgx.Tx) error {
		var err error
		rows, err = q.OrgHealthList(ctx, tx, s.Clock.Now())
		return err
	})
	if err != nil {
		return err
	}
	h := ops.Health{Page: s.page(c, "Platform health", layout.NavOps), Totals: map[string]int64{}}
	for _, st := range connection.Healths {
		h.States = append(h.States, ops.State{Key: string(st), Label: st.Label()})
	}
	if s.JobsUI != nil {
		h.JobsURL = JobsUIPrefix + "/"
	}
	for _, r := range rows {
		o := ops.OrgHealth{Name: r.Name, Slug: r.Slug, Pending: r.Pending, OpenAlerts: r.OpenAlerts, Counts: map[string]int64{
			string(connection.HealthFresh): r.Fresh, string(connection.HealthAwaiting): r.Awaiting, string(connection.HealthStale): r.Stale,
			string(connection.HealthNeedsReauth): r.NeedsReauth, string(connection.HealthFailing): r.Failing,
		}}
		if r.Synced {
			o.OldestSuccess = &r.OldestSuccess
		}
		for k, n := range o.Counts {
			h.Totals[k] += n
		}
		h.Orgs = append(h.Orgs, o)
	}
	return s.render(c, http.StatusOK, ops.HealthPage(h))
}
