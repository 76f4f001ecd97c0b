package web

import (
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/views/pages/integrations"
)

// integrationShow is a connector's page: facts, evidence, how to connect,
// security model and the organization's connections.
func (s *Server) integrationShow(c echo.Context) error {
	conn := s.Connectors.Get(c.Param("connector"))
	if conn == nil {
		return echo.ErrNotFound
	}
	org := currentOrg(c)
	ctx := c.Request().Context()
	var rows []dbsqlc.Connection
	if err := db.InOrg(ctx, s.Pool, org.ID, func(tx pgx.Tx) error {
		var err error
		rows, err = q.ConnectionList(ctx, tx, conn.Definition().Key)
		return err
	}); err != nil {
		return err
	}
	view := integrations.Integration{
		Page:        s.page(c, conn.Definition().Name, "integrations"),
		Connector:   s.connectorView(conn),
		CanWrite:    account.CanWrite(currentRole(c)),
		ConnectURL:  orgPath(c, "/integrations/"+conn.Definition().Key+"/connect"),
		ColumnLabel: conn.Display(nil).Column.Label, Account: conn.Definition().Account, KMS: s.Config.Keys.KMSKeyID != "",
	}
	for _, r := range rows {
		view.Connections = append(view.Connections, s.connRow(c, r))
	}
	return s.render(c, http.StatusOK, integrations.IntegrationPage(view))
}
