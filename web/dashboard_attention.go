package web

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/internal/document"
	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/pages/dashboard"
)

// The "needs attention" list, most impact first: a connection that cannot
// sync stops all of its evidence; a failing check fails controls outright;
// a stale connection or a lapsed document makes controls stale; an open
// alert about anything else is next; a document soon due for review is a
// warning of what will lapse.
const (
	rankNeedsReauth = iota
	rankSyncFailing
	rankFailingCheck
	rankStale
	rankLapsed
	rankAlert
	rankReviewDue
)

// attentionInput is what the list is built from, all read in the
// dashboard's transaction.
type attentionInput struct {
	report    coverage.Report
	conns     []dbsqlc.ConnectionHealthListRow
	documents []dbsqlc.DocumentListRow
	alerts    []dbsqlc.AlertsListRow
	now       time.Time
}

// rankedItem is an item with what orders it.
type rankedItem struct {
	rank int
	// weight orders items of the same rank, larger first.
	weight int
	item   dashboard.Attention
}

// needsAttention lists what to fix next, each item linking to the page
// where it is fixed.
func needsAttention(c echo.Context, in attentionInput) []dashboard.Attention {
	var items []rankedItem
	listed := map[uuid.UUID]bool{} // connections and documents already listed
	for _, conn := range in.conns {
		it, ok := connectionAttention(c, conn, in.now)
		if ok {
			listed[conn.ID] = true
			items = append(items, it)
		}
	}
	items = append(items, failingChecks(c, in.report)...)
	for _, doc := range in.documents {
		it, ok := documentAttention(c, doc, in.now)
		if ok {
			listed[doc.ID] = true
			items = append(items, it)
		}
	}
	for _, a := range in.alerts {
		if a.ResolvedAt != nil || (a.ConnectionID != nil && listed[*a.ConnectionID]) || (a.DocumentID != nil && listed[*a.DocumentID]) {
			continue
		}
		items = append(items, rankedItem{rank: rankAlert, weight: int(a.OpenedAt.Unix()), item: dashboard.Attention{
			Kind: "alert", Tone: "unknown", Label: "Open alert", Title: a.Title, Detail: a.Message,
			Action: "Review alerts", URL: orgPath(c, "/alerts")}})
	}
	slices.SortStableFunc(items, func(a, b rankedItem) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(b.weight, a.weight), strings.Compare(a.item.Title, b.item.Title))
	})
	out := make([]dashboard.Attention, len(items))
	for i, it := range items {
		out[i] = it.item
	}
	return out
}

// connectionAttention is the item for a connection that needs re-authorizing,
// keeps failing to sync or has gone stale.
func connectionAttention(c echo.Context, conn dbsqlc.ConnectionHealthListRow, now time.Time) (rankedItem, bool) {
	h := connection.HealthFacts{Status: connector.Status(conn.Status), ConnectedAt: conn.ConnectedAt, LastSuccessAt: conn.LastSuccessAt,
		Failures: conn.ConsecutiveFailures, StaleAfter: time.Duration(conn.StaleAfterSeconds) * time.Second}.At(now)
	it := dashboard.Attention{Kind: string(h), Tone: string(h), URL: orgPath(c, "/connections/"+conn.ID.String())}
	var rank int
	switch h {
	case connection.HealthNeedsReauth:
		rank, it.Label, it.Title, it.Action = rankNeedsReauth, "Needs re-authorization", conn.DisplayName+" needs re-authorization",
			"Re-authorize"
		it.Detail = "The provider refused its credentials: no evidence is collected until it is re-authorized."
	case connection.HealthFailing:
		rank, it.Label, it.Title, it.Action = rankSyncFailing, "Sync failing", conn.DisplayName+" fails to sync", "See the sync log"
		it.Detail = components.Count(int64(conn.ConsecutiveFailures), "sync", "syncs") + " in a row failed."
	case connection.HealthStale:
		rank, it.Label, it.Title, it.Action = rankStale, "Stale", "Evidence from "+conn.DisplayName+" is stale", "Sync now"
		it.Detail = "The controls it supports count as stale until the next successful sync."
	default:
		return rankedItem{}, false
	}
	return rankedItem{rank: rank, item: it}, true
}

// failingChecks is one item per failing check on a live connection that
// supports a control in scope, most failing subjects first. A result from a
// stale connection is left out, as coverage leaves it out: the connection's
// own item comes first.
func failingChecks(c echo.Context, report coverage.Report) []rankedItem {
	type key struct {
		conn  uuid.UUID
		check string
	}
	byKey := map[key]*rankedItem{}
	var order []key
	for _, ctl := range report.Controls {
		if ctl.Status == coverage.NotApplicable {
			continue
		}
		for _, chk := range ctl.Checks {
			if connector.CheckStatus(chk.Status) != connector.CheckFail || !chk.Fresh {
				continue
			}
			k := key{chk.ConnectionID, chk.CheckKey}
			it, ok := byKey[k]
			if !ok {
				it = &rankedItem{rank: rankFailingCheck, weight: chk.Failing, item: dashboard.Attention{
					Kind: "failing_check", Tone: coverage.Failing, Label: "Failing check",
					Title:  chk.CheckTitle + ": " + components.Count(int64(chk.Failing), "failing subject", "failing subjects"),
					Detail: "On " + chk.ConnectionName + ".", Action: "Fix or exclude subjects",
					URL: orgPath(c, "/connections/"+chk.ConnectionID.String()+"/checks/"+chk.CheckKey),
				}}
				byKey[k] = it
				order = append(order, k)
			}
			it.item.Controls = append(it.item.Controls, ctl.ID)
		}
	}
	out := make([]rankedItem, len(order))
	for i, k := range order {
		out[i] = *byKey[k]
	}
	return out
}

// documentAttention is the item for a document that has lapsed or is due for
// review soon.
func documentAttention(c echo.Context, doc dbsqlc.DocumentListRow, now time.Time) (rankedItem, bool) {
	it := dashboard.Attention{URL: orgPath(c, "/documents/"+doc.ID.String()), Action: "Upload a new revision"}
	due := components.Day(doc.NextReviewOn)
	var rank int
	switch document.ReviewState(doc.NextReviewOn, now) {
	case document.KindLapsed:
		rank, it.Kind, it.Tone, it.Label = rankLapsed, string(document.KindLapsed), coverage.StaleState, "Lapsed"
		it.Title, it.Detail = doc.Title+" has lapsed", "Its review was due on "+due+"; the criteria it supports count as stale."
	case document.KindReviewDue:
		rank, it.Kind, it.Tone, it.Label = rankReviewDue, string(document.KindReviewDue), "awaiting", "Review due"
		it.Title, it.Detail = doc.Title+" is due for review on "+due, "Owner: "+doc.OwnerEmail+"."
	default:
		return rankedItem{}, false
	}
	// The sooner it was or is due, the earlier it comes.
	return rankedItem{rank: rank, weight: -int(doc.NextReviewOn.Unix() / 86400), item: it}, true
}
