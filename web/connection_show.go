package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/pages/integrations"
)

// loadConnection reads the connection named in the path inside the current
// organization; another organization's id answers 404.
func (s *Server) loadConnection(c echo.Context) (dbsqlc.Connection, error) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return dbsqlc.Connection{}, echo.ErrNotFound
	}
	var conn dbsqlc.Connection
	err = db.InOrg(c.Request().Context(), s.Pool, currentOrg(c).ID, func(tx pgx.Tx) error {
		conn, err = q.ConnectionGet(c.Request().Context(), tx, id)
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && s.Connectors.Get(conn.Connector) == nil) {
		return dbsqlc.Connection{}, echo.ErrNotFound
	}
	return conn, err
}

// connectionShow is a connection's page: status, details, actions, history.
func (s *Server) connectionShow(c echo.Context) error {
	conn, err := s.loadConnection(c)
	if err != nil {
		return err
	}
	return s.renderConnection(c, http.StatusOK, conn, "")
}

func (s *Server) renderConnection(c echo.Context, status int, conn dbsqlc.Connection, settingsError string) error {
	var err error
	ctx := c.Request().Context()
	var history []dbsqlc.AuditLog
	var exclusions []dbsqlc.CheckExclusion
	if err := db.InOrg(ctx, s.Pool, conn.OrgID, func(tx pgx.Tx) error {
		history, err = q.AuditListForTarget(ctx, tx, dbsqlc.AuditListForTargetParams{
			OrgID: conn.OrgID, TargetType: "connection", TargetID: conn.ID.String(), MaxRows: 100,
		})
		if err != nil {
			return err
		}
		exclusions, err = q.CheckExclusionsActive(ctx, tx, dbsqlc.CheckExclusionsActiveParams{ConnectionID: conn.ID, Now: s.Clock.Now()})
		return err
	}); err != nil {
		return err
	}
	live, err := s.liveView(c, conn, "")
	if err != nil {
		return err
	}
	cn := s.Connectors.Get(conn.Connector)
	def := cn.Definition()
	row := s.connRow(c, conn)
	base := orgPath(c, "/connections/"+conn.ID.String())
	view := integrations.ConnectionView{
		Page: s.page(c, conn.DisplayName, "integrations"), Conn: row,
		ConnectorName: def.Name, ConnectorURL: orgPath(c, "/integrations/"+def.Key),
		Scopes: conn.GrantedScopes, CanWrite: account.CanWrite(currentRole(c)), RevokeURL: base + "/revoke",
		Live: live, EvidenceURL: orgPath(c, "/evidence?connection="+conn.ID.String()),
		ExportURL:   orgPath(c, "/evidence/export?connection="+conn.ID.String()),
		SettingsURL: base + "/settings", StaleHours: int(staleAfter(conn).Hours()), Params: paramFields(cn, conn),
		SettingsError: settingsError, HistoryURL: orgPath(c, "/audit?target=connection:"+conn.ID.String()),
		Provider: def.Provider, Account: def.Account,
		Facts: append(append([]integrations.Fact{{Label: "Connector", Value: def.Name}}, row.Settings...),
			integrations.Fact{Label: "Authorized by", Value: dash(conn.ConsentedBy)},
			integrations.Fact{Label: "Connected", Value: timeText(conn.ConnectedAt)},
			integrations.Fact{Label: "Created", Value: components.Absolute(conn.CreatedAt)},
		),
	}
	if _, ok := connector.AuthorizerOf(cn); ok && (def.Has(connector.CapabilityReauthorize) || connector.Status(conn.Status) == connector.StatusPending) {
		view.ReauthURL = base + "/reauthorize"
	}
	if _, ok := connector.ConsenterOf(cn); ok {
		view.ConsentURL = base + "/consent"
	}
	checkTitles := map[string]string{}
	for _, chk := range cn.Checks() {
		checkTitles[chk.Key] = chk.Title
	}
	for _, x := range exclusions {
		view.Exclusions = append(view.Exclusions, integrations.ExclusionRow{Check: checkTitles[x.CheckKey], Subject: x.SubjectLabel,
			Reason: x.Reason, ExpiresAt: x.ExpiresAt, RevokeURL: base + "/exclusions/" + x.ID.String() + "/revoke"})
	}
	for _, h := range history {
		view.History = append(view.History, integrations.HistoryEntry{At: h.OccurredAt, Actor: h.ActorLabel, Action: h.Action, Detail: historyDetail(h.Details)})
	}
	return s.render(c, status, integrations.ConnectionPage(view))
}

// paramFields are the settings form's fields for the parameters the
// connection's checks declare, with the checks that read each.
func paramFields(cn connector.Connector, conn dbsqlc.Connection) []integrations.ParamField {
	values := connection.ParamsOf(cn, conn)
	var out []integrations.ParamField
	for _, p := range connector.DeclaredParams(cn.Checks()) {
		var users []string
		for _, chk := range cn.Checks() {
			if slices.ContainsFunc(chk.Params, func(q connector.Param) bool { return q.Key == p.Key }) {
				users = append(users, "“"+chk.Title+"”")
			}
		}
		out = append(out, integrations.ParamField{Key: p.Key, Label: p.Label, Hint: p.Hint, Min: p.Min, Max: p.Max,
			Value: values[p.Key], UsedBy: strings.Join(users, ", ")})
	}
	return out
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// historyDetail words an audit row's details as one sentence ("Stale after
// hours: 6; previous stale after hours: 12."), with the audit log's labels
// and values.
func historyDetail(raw []byte) string {
	fields := auditDetails(raw)
	if len(fields) == 0 {
		return ""
	}
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f.Label + ": " + f.Value
		if i > 0 {
			parts[i] = strings.ToLower(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "; ") + "."
}
