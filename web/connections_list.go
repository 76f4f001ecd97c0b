package web

import (
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/views/pages/integrations"
)

// connectionsList lists the organization's connections across connectors,
// filtered by health (the dashboard's health numbers link here).
func (s *Server) connectionsList(c echo.Context) error {
	ctx := c.Request().Context()
	var conns []dbsqlc.Connection
	if err := db.InOrg(ctx, s.Pool, currentOrg(c).ID, func(tx pgx.Tx) error {
		var err error
		conns, err = q.ConnectionListAll(ctx, tx)
		return err
	}); err != nil {
		return err
	}
	want := c.QueryParam("health")
	now := s.Clock.Now()
	counts := map[connection.Health]int{}
	v := integrations.ConnectionsList{Page: s.page(c, "Connections", "integrations")}
	for _, conn := range conns {
		h := connection.HealthOf(conn, now)
		counts[h]++
		if want == "" || string(h) == want {
			v.Rows = append(v.Rows, s.connRow(c, conn))
		}
	}
	v.Filters = append(v.Filters, integrations.HealthFilter{Label: "All", Count: len(conns), URL: orgPath(c, "/connections"), On: want == ""})
	for _, h := range connection.Healths {
		v.Filters = append(v.Filters, integrations.HealthFilter{Label: h.Label(), Count: counts[h], URL: orgPath(c, "/connections?health="+string(h)), On: want == string(h)})
	}
	return s.render(c, http.StatusOK, integrations.ConnectionsPage(v))
}
