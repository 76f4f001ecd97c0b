package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/views/components"
	auditpage "github.com/attesthq/attest/views/pages/audit"
)

const auditPageSize = 50

// auditFilters are the action families the audit log can be narrowed to.
var auditFilters = []auditpage.Filter{
	{Value: "", Label: "All actions"},
	{Value: "auth.", Label: "Sign-ins and lockouts"},
	{Value: "access.", Label: "Refused actions"},
	{Value: "member.", Label: "Members"},
	{Value: "organization.", Label: "Organization"},
	{Value: "connection.", Label: "Connections and syncs"},
	{Value: "check.", Label: "Exclusions"},
	{Value: "alert.", Label: "Alerts"},
	{Value: "assessment.", Label: "Assessments"},
	{Value: "auditor.", Label: "Auditors and invitations"},
	{Value: "evidence.", Label: "Exports and purges"},
	{Value: "keys.", Label: "Key rotation"},
}

// auditTargets are the kinds of target the audit log can be narrowed to
// (?target=connection:ID), with how the page names them.
var auditTargets = map[string]string{"connection": "this connection", "assessment": "this assessment"}

// parseAuditTarget reads ?target=TYPE:ID; anything else narrows nothing.
func parseAuditTarget(raw string) (targetType, targetID string) {
	t, id, ok := strings.Cut(raw, ":")
	if _, known := auditTargets[t]; !ok || !known {
		return "", ""
	}
	if _, err := uuid.Parse(id); err != nil {
		return "", ""
	}
	return t, id
}

// auditList shows the organization's audit log, newest first, keyset-paged.
func (s *Server) auditList(c echo.Context) error {
	org := currentOrg(c)
	action := c.QueryParam("action")
	if !knownFilter(action) {
		action = ""
	}
	targetType, targetID := parseAuditTarget(c.QueryParam("target"))
	before, _ := strconv.ParseInt(c.QueryParam("before"), 10, 64)
	after, _ := strconv.ParseInt(c.QueryParam("after"), 10, 64)
	ctx := c.Request().Context()
	var rows []dbsqlc.AuditLog
	var names map[string]string
	var total int64
	err := db.InOrg(ctx, s.Pool, org.ID, func(tx pgx.Tx) error {
		head, err := q.AuditHeadGet(ctx, tx, org.ID)
		if err != nil {
			return err
		}
		total = head.Seq
		if after > 0 {
			rows, err = q.AuditListNewer(ctx, tx, dbsqlc.AuditListNewerParams{OrgID: org.ID, AfterSeq: after, ActionPrefix: action,
				TargetType: targetType, TargetID: targetID, MaxRows: auditPageSize + 1})
			if err != nil {
				return err
			}
			reverse(rows)
			if len(rows) > auditPageSize {
				rows = rows[1:]
			}
			names, err = auditTargetNames(ctx, tx, rows)
			return err
		}
		var beforeSeq *int64
		if before > 0 {
			beforeSeq = &before
		}
		rows, err = q.AuditList(ctx, tx, dbsqlc.AuditListParams{OrgID: org.ID, BeforeSeq: beforeSeq, ActionPrefix: action,
			TargetType: targetType, TargetID: targetID, MaxRows: auditPageSize + 1})
		if err != nil {
			return err
		}
		names, err = auditTargetNames(ctx, tx, rows)
		return err
	})
	if err != nil {
		return err
	}
	more := len(rows) > auditPageSize && after == 0
	if len(rows) > auditPageSize {
		rows = rows[:auditPageSize]
	}
	view := auditpage.List{Page: s.page(c, "Audit log", "audit"), Action: action, Filters: auditFilters, Total: total}
	if targetID != "" {
		view.Target, view.TargetLabel = targetType+":"+targetID, auditTargets[targetType]
	}
	for _, r := range rows {
		view.Entries = append(view.Entries, auditEntry(c, r, names))
	}
	if len(rows) > 0 {
		base := org.Slug
		q := url.Values{}
		if action != "" {
			q.Set("action", action)
		}
		if view.Target != "" {
			q.Set("target", view.Target)
		}
		if more || after > 0 {
			q.Set("before", strconv.FormatInt(rows[len(rows)-1].Seq, 10))
			view.Pager.NextURL = "/o/" + base + "/audit?" + q.Encode()
			q.Del("before")
		}
		if rows[0].Seq < total && (before > 0 || after > 0) {
			q.Set("after", strconv.FormatInt(rows[0].Seq, 10))
			view.Pager.PrevURL = "/o/" + base + "/audit?" + q.Encode()
		}
		view.Pager.Summary = "Entries #" + components.Int(rows[len(rows)-1].Seq) + " to #" + components.Int(rows[0].Seq)
	}
	return s.render(c, http.StatusOK, auditpage.ListPage(view))
}

func knownFilter(v string) bool {
	for _, f := range auditFilters {
		if f.Value == v {
			return true
		}
	}
	return false
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}
