package web

import (
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/views/pages/integrations"
)

// integrationsList is the catalog: a card per connector with the
// organization's status.
func (s *Server) integrationsList(c echo.Context) error {
	org := currentOrg(c)
	ctx := c.Request().Context()
	var conns []dbsqlc.Connection
	if err := db.InOrg(ctx, s.Pool, org.ID, func(tx pgx.Tx) error {
		var err error
		conns, err = q.ConnectionListAll(ctx, tx)
		return err
	}); err != nil {
		return err
	}
	view := integrations.Catalog{Page: s.page(c, "Integrations", "integrations")}
	for _, conn := range s.Connectors.All() {
		d := conn.Definition()
		card := integrations.Card{Name: d.Name, Category: d.Category, Auth: d.Auth, Cadence: cadenceText(d.Cadence.Hours()),
			Summary: d.Summary, URL: orgPath(c, "/integrations/"+d.Key)}
		for _, row := range conns {
			if row.Connector != d.Key || row.DeletedAt != nil {
				continue
			}
			if row.Status == string(connector.StatusActive) {
				card.Connected++
			} else {
				card.Attention++
			}
			card.Connections = append(card.Connections, integrations.CardConnection{Name: row.DisplayName,
				Account: conn.Display(row.Settings).Summary, URL: orgPath(c, "/connections/"+row.ID.String()), LastSync: row.LastSuccessAt})
		}
		card.StatusLabel, card.StatusChip = catalogStatus(card.Connected, card.Attention)
		view.Cards = append(view.Cards, card)
	}
	return s.render(c, http.StatusOK, integrations.CatalogPage(view))
}

func catalogStatus(connected, attention int) (string, string) {
	switch {
	case connected == 0 && attention == 0:
		return "Not connected", "none"
	case attention > 0:
		return "Needs attention", "stale"
	case connected == 1:
		return "Connected", "active"
	}
	return "Connected · " + itoa(connected) + " connections", "active"
}
