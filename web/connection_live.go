package web

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/internal/syncer"
	"github.com/attesthq/attest/views/layout"
	"github.com/attesthq/attest/views/pages/integrations"
)

// runsShown is how many runs the sync log lists.
const runsShown = 20

// liveView reads a connection's sync state, checks, datasets and log.
func (s *Server) liveView(c echo.Context, conn dbsqlc.Connection, message string) (integrations.LiveView, error) {
	ctx := c.Request().Context()
	cn := s.Connectors.Get(conn.Connector)
	base := orgPath(c, "/connections/"+conn.ID.String())
	v := integrations.LiveView{
		Provider: cn.Definition().Provider, URL: base + "/live", SyncURL: base + "/sync", Message: message,
		LastSync: conn.LastSyncAt, LastSuccess: conn.LastSuccessAt, NextSync: conn.NextSyncAt,
		Freshness:  coverage.FreshnessOf(conn.LastSuccessAt, staleAfter(conn), s.Clock.Now()),
		StaleAfter: hoursText(staleAfter(conn).Hours()),
		CanSync:    account.CanWrite(currentRole(c)) && connector.Status(conn.Status) == connector.StatusActive,
	}
	var runs []dbsqlc.ConnectorRun
	var results []dbsqlc.CheckCurrent
	err := db.InOrg(ctx, s.Pool, conn.OrgID, func(tx pgx.Tx) error {
		var err error
		if v.Active, err = q.SyncJobActive(ctx, tx, conn.ID.String()); err != nil {
			return err
		}
		if runs, err = q.RunListForConnection(ctx, tx, dbsqlc.RunListForConnectionParams{ConnectionID: conn.ID, MaxRows: runsShown}); err != nil {
			return err
		}
		results, err = q.CheckCurrentForConnection(ctx, tx, conn.ID)
		return err
	})
	if err != nil {
		return v, err
	}
	if len(runs) > 0 && syncer.Status(runs[0].Status) == syncer.StatusRunning {
		v.Active = "running"
	}
	if v.Active == "available" || v.Active == "scheduled" || v.Active == "pending" {
		v.Active = "queued"
	}
	titles := map[string]string{}
	for _, d := range cn.Datasets() {
		titles[d.Key] = d.Title
	}
	for _, r := range runs {
		row := runRow(r, titles)
		v.Runs = append(v.Runs, row)
		if v.Datasets == nil && r.FinishedAt != nil && len(row.Datasets) > 0 {
			v.Datasets = orderDatasets(row.Datasets, cn.Datasets(), titles)
		}
	}
	for _, chk := range cn.Checks() {
		row := integrations.CheckRow{Key: chk.Key, Title: chk.Title, Description: chk.Description, Criteria: chk.Criteria,
			Status: "", URL: base + "/checks/" + chk.Key}
		for _, r := range results {
			if r.CheckKey == chk.Key {
				at := r.EvaluatedAt
				row.Status, row.Reason, row.Total, row.Failing, row.Excluded, row.EvaluatedAt = r.Status, r.Reason, int(r.SubjectsTotal), int(r.SubjectsFailing), int(r.SubjectsExcluded), &at
			}
		}
		if row.Status != "" {
			v.Checks = append(v.Checks, row)
		}
	}
	return v, nil
}

func runRow(r dbsqlc.ConnectorRun, titles map[string]string) integrations.RunRow {
	row := integrations.RunRow{Trigger: r.Trigger, Status: r.Status, StartedAt: r.StartedAt, New: int(r.EvidenceNew),
		Requests: int(r.Requests), Throttled: int(r.Throttled), Retries: int(r.Retries), ErrorClass: r.ErrorClass, Error: r.ErrorMessage}
	if r.FinishedAt != nil {
		row.Duration = r.FinishedAt.Sub(r.StartedAt).Round(100 * time.Millisecond).String()
	}
	var ds map[string]syncer.DatasetOutcome
	if json.Unmarshal(r.Datasets, &ds) == nil {
		for key, d := range ds {
			row.Datasets = append(row.Datasets, integrations.DatasetRow{Title: key, ReadAt: r.FinishedAt, Status: string(d.Status), Fetched: d.Fetched,
				New: d.New, Changed: d.Changed, Unchanged: d.Unchanged, Removed: d.Removed, Requests: d.Requests,
				Throttled: d.Throttled, ErrorClass: string(d.ErrorClass), Error: d.Error})
		}
	}
	return row
}

// orderDatasets puts dataset rows in the connector's order with their titles.
func orderDatasets(rows []integrations.DatasetRow, order []connector.Dataset, titles map[string]string) []integrations.DatasetRow {
	byKey := map[string]integrations.DatasetRow{}
	for _, r := range rows {
		byKey[r.Title] = r
	}
	out := make([]integrations.DatasetRow, 0, len(order))
	for _, d := range order {
		if r, ok := byKey[d.Key]; ok {
			r.Title = titles[d.Key]
			out = append(out, r)
		}
	}
	return out
}

// connectionLive answers the live region's polling.
func (s *Server) connectionLive(c echo.Context) error {
	conn, err := s.loadConnection(c)
	if err != nil {
		return err
	}
	v, err := s.liveView(c, conn, "")
	if err != nil {
		return err
	}
	// Only the page's poll asks for this region, and it polls while a sync
	// runs: the answer that finds it over ends the poll and the flash.
	v.ClearFlashes = v.Active == ""
	return s.render(c, http.StatusOK, integrations.Live(v))
}

// connectionSync is "Sync now": it queues a manual sync unless one is
// already queued or running, and says which.
func (s *Server) connectionSync(c echo.Context) error {
	conn, err := s.loadConnection(c)
	if err != nil {
		return err
	}
	if connector.Status(conn.Status) != connector.StatusActive {
		return echo.NewHTTPError(http.StatusConflict, "Only an active connection can sync; re-authorize it first.")
	}
	var queued bool
	ctx := c.Request().Context()
	err = db.InOrg(ctx, s.Pool, conn.OrgID, func(tx pgx.Tx) error {
		queued, err = s.Jobs.SyncNow(ctx, tx, conn.OrgID, conn.ID, syncer.TriggerManual)
		return err
	})
	if err != nil {
		return err
	}
	msg := "Sync queued."
	if !queued {
		msg = "A sync of this connection is already queued or running."
	}
	if !fragmentRequest(c) {
		flash(c, layout.FlashInfo, msg)
		return c.Redirect(http.StatusSeeOther, orgPath(c, "/connections/"+conn.ID.String()))
	}
	v, err := s.liveView(c, conn, msg)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, integrations.Live(v))
}

// staleAfter is the connection's stale threshold.
func staleAfter(conn dbsqlc.Connection) time.Duration {
	return time.Duration(conn.StaleAfterSeconds) * time.Second
}
