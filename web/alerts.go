package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/alert"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/views/layout"
	"github.com/attesthq/attest/views/pages/alerts"
)

// alertsList shows open alerts and those resolved in the last 30 days, with
// their webhook deliveries.
func (s *Server) alertsList(c echo.Context) error {
	ctx := c.Request().Context()
	org := currentOrg(c)
	var rows []dbsqlc.AlertsListRow
	var deliveries []dbsqlc.AlertDelivery
	err := db.InOrg(ctx, s.Pool, org.ID, func(tx pgx.Tx) error {
		var err error
		rows, err = q.AlertsList(ctx, tx, dbsqlc.AlertsListParams{ResolvedSince: s.Clock.Now().AddDate(0, 0, -30), MaxRows: 200})
		if err != nil {
			return err
		}
		ids := make([]uuid.UUID, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		deliveries, err = q.AlertDeliveriesForAlerts(ctx, tx, ids)
		return err
	})
	if err != nil {
		return err
	}
	l := alerts.List{Page: s.page(c, "Alerts", "alerts"), CanWrite: account.CanWrite(currentRole(c)), Webhook: s.Config.AlertWebhookURL != ""}
	for _, r := range rows {
		subject, subjectID := alert.Subject(r.ConnectionID, r.DocumentID)
		row := alerts.Row{ID: r.ID.String(), Kind: r.Kind, Title: r.Title, Message: r.Message, Connection: r.ConnectionName,
			ConnectionURL: orgPath(c, "/"+subject+"s/"+subjectID), OpenedAt: r.OpenedAt, ResolvedAt: r.ResolvedAt,
			AcknowledgedAt: r.AcknowledgedAt, AckURL: orgPath(c, "/alerts/"+r.ID.String()+"/acknowledge")}
		for _, d := range deliveries {
			if d.AlertID == r.ID {
				status := "no answer"
				if d.StatusCode != nil {
					status = "HTTP " + strconv.Itoa(int(*d.StatusCode))
				}
				row.Deliveries = append(row.Deliveries, alerts.Delivery{Event: d.Event, Attempt: int(d.Attempt), Status: status, Error: d.Error, At: d.At})
			}
		}
		if r.ResolvedAt == nil {
			l.Open = append(l.Open, row)
		} else {
			l.Resolved = append(l.Resolved, row)
		}
	}
	return s.render(c, http.StatusOK, alerts.ListPage(l))
}

// alertAcknowledge records that someone has seen an open alert.
func (s *Server) alertAcknowledge(c echo.Context) error {
	id, err := uuidParam(c, "alert")
	if err != nil {
		return err
	}
	user := currentUser(c)
	err = s.Alerts.Acknowledge(c.Request().Context(), currentOrg(c).ID, id, audit.UserActor(user.UserID, user.Email))
	if errors.Is(err, alert.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	flash(c, layout.FlashSuccess, "Alert acknowledged. It stays open until the connection recovers.")
	return seeOther(c, orgPath(c, "/alerts"))
}
