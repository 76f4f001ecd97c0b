package web

import (
	"encoding/json"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/pages/integrations"
)

// callbackURL is this deployment's OAuth redirect URI for a connector.
func (s *Server) callbackURL(key string) string {
	return s.Config.URL("/api/integrations/" + key + "/callback")
}

// connectorView maps a connector's definition to what pages show.
func (s *Server) connectorView(c connector.Connector) integrations.Connector {
	d := c.Definition()
	v := integrations.Connector{
		Key: d.Key, Name: d.Name, Summary: d.Summary, Criteria: d.Criteria(), RedirectURI: s.callbackURL(d.Key),
		Facts: []integrations.Fact{
			{Label: "Authentication", Value: d.Auth},
			{Label: "Sync cadence", Value: cadenceText(d.Cadence.Hours())},
			{Label: "Stale threshold", Value: "Every " + hoursText(d.StaleAfter.Hours())},
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

// connectionSettings are the settings fields every connector's pages show.
type connectionSettings struct {
	Cloud    string `json:"cloud"`
	Tenant   string `json:"tenant"`
	ClientID string `json:"client_id"`
}

// connRow maps a connection to a list row.
func (s *Server) connRow(c echo.Context, conn dbsqlc.Connection) integrations.ConnRow {
	var st connectionSettings
	_ = json.Unmarshal(conn.Settings, &st)
	row := integrations.ConnRow{
		ID: conn.ID.String(), Name: conn.DisplayName, URL: orgPath(c, "/connections/"+conn.ID.String()),
		Status: conn.Status, StatusLabel: integrations.StatusLabel(conn.Status), StatusReason: conn.StatusReason,
		Cloud: cloudLabel(s.Connectors.Get(conn.Connector), st.Cloud), Tenant: st.Tenant,
		ConnectedAt: conn.ConnectedAt, Revoked: conn.DeletedAt != nil, RevokedAt: conn.DeletedAt,
		LastSync: conn.LastSuccessAt, NextSync: conn.NextSyncAt,
	}
	if h := connection.HealthOf(conn, s.Clock.Now()); h != connection.HealthNone {
		row.Freshness, row.FreshChip = h.Label(), string(h)
	}
	return row
}

// cloudLabel names a cloud as the connect form does.
func cloudLabel(c connector.Connector, key string) string {
	if c == nil {
		return key
	}
	for _, f := range c.Form() {
		for _, o := range f.Options {
			if f.Type == "select" && o.Value == key {
				return strings.TrimSuffix(o.Label, " (not Microsoft)")
			}
		}
	}
	return key
}

// orgPath is a path inside the current organization.
func orgPath(c echo.Context, path string) string {
	return "/o/" + currentOrg(c).Slug + path
}
