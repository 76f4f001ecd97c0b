package web

import (
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/pages/integrations"
)

// callbackURL is this deployment's redirect URI for a connector.
func (s *Server) callbackURL(key string) string {
	return s.Config.URL("/api/integrations/" + key + "/callback")
}

// connectorView maps a connector's definition to what pages show.
func (s *Server) connectorView(c connector.Connector) integrations.Connector {
	d := c.Definition()
	v := integrations.Connector{
		Key: d.Key, Name: d.Name, Summary: d.Summary, Criteria: d.Criteria(), RedirectURI: s.callbackURL(d.Key),
		Provider: d.Provider, Account: d.Account, Intro: d.ConnectIntro,
		Facts: []integrations.Fact{
			{Label: "Authentication", Value: d.Auth},
			{Label: "Sync cadence", Value: cadenceText(d.Cadence.Hours())},
			{Label: "Stale threshold", Value: durationHours(d.StaleAfter.Hours())},
			{Label: "Category", Value: d.Category},
		},
	}
	for _, e := range d.Evidence {
		v.Evidence = append(v.Evidence, integrations.Evidence{Kind: e.Kind, Title: e.Title, Description: e.Description, Criteria: e.Criteria})
	}
	for i, st := range d.Steps {
		v.Steps = append(v.Steps, integrations.Step{Number: i + 1, Title: st.Title, Body: st.Body, ShowRedirectURI: st.ShowRedirectURI})
	}
	for _, sc := range d.Scopes {
		v.Scopes = append(v.Scopes, integrations.Scope{Name: sc.Name, Reason: sc.Reason})
	}
	return v
}

func cadenceText(hours float64) string {
	if hours == 1 {
		return "Hourly"
	}
	return "Every " + hoursText(hours)
}

func hoursText(hours float64) string {
	if hours == 1 {
		return "hour"
	}
	return components.Int(int64(hours)) + " hours"
}

// connRow maps a connection to a list row; its connector says how its
// settings read.
func (s *Server) connRow(c echo.Context, conn dbsqlc.Connection) integrations.ConnRow {
	row := integrations.ConnRow{
		ID: conn.ID.String(), Name: conn.DisplayName, URL: orgPath(c, "/connections/"+conn.ID.String()),
		Status: conn.Status, StatusLabel: integrations.StatusLabel(conn.Status), StatusReason: conn.StatusReason,
		ConnectedAt: conn.ConnectedAt, Revoked: conn.DeletedAt != nil, RevokedAt: conn.DeletedAt,
		LastSync: conn.LastSuccessAt, NextSync: conn.NextSyncAt,
	}
	if cn := s.Connectors.Get(conn.Connector); cn != nil {
		d := cn.Display(conn.Settings)
		row.Account, row.Column = d.Summary, d.Column.Value
		for _, it := range d.Details {
			row.Settings = append(row.Settings, integrations.Fact{Label: it.Label, Value: it.Value})
		}
	}
	if h := healthOf(conn, s.Clock.Now()); h != "" {
		row.Freshness, row.FreshChip = healthLabel(h), h
	}
	return row
}

// orgPath is a path inside the current organization.
func orgPath(c echo.Context, path string) string {
	return "/o/" + currentOrg(c).Slug + path
}

// durationHours is a number of hours as a duration ("1 hour", "6 hours").
func durationHours(hours float64) string {
	if hours == 1 {
		return "1 hour"
	}
	return hoursText(hours)
}
