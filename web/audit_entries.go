package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/views/components"
	auditpage "github.com/attesthq/attest/views/pages/audit"
)

// auditTargetPages are the pages of the targets that have one.
var auditTargetPages = map[string]string{
	"connection": "/connections/", "assessment": "/assessments/", "document": "/documents/", "control": "/controls/",
}

// auditTargetNames reads the names of a page's targets in tx, keyed
// "type:id".
func auditTargetNames(ctx context.Context, tx pgx.Tx, rows []dbsqlc.AuditLog) (map[string]string, error) {
	ids := map[string][]uuid.UUID{}
	for _, r := range rows {
		if id, err := uuid.Parse(r.TargetID); err == nil {
			ids[r.TargetType] = append(ids[r.TargetType], id)
		}
	}
	found, err := q.AuditTargetNames(ctx, tx, dbsqlc.AuditTargetNamesParams{ConnectionIds: ids["connection"],
		AssessmentIds: ids["assessment"], DocumentIds: ids["document"], UserIds: ids["user"]})
	if err != nil {
		return nil, fmt.Errorf("web: audit target names: %w", err)
	}
	out := make(map[string]string, len(found))
	for _, f := range found {
		out[f.TargetType+":"+f.TargetID] = f.Name
	}
	return out, nil
}

// auditEntry is one audit row as the page shows it: the action in words,
// the target by name with a link to its page, the details as labelled
// fields.
func auditEntry(c echo.Context, r dbsqlc.AuditLog, names map[string]string) auditpage.Entry {
	return auditpage.Entry{
		Seq: r.Seq, OccurredAt: r.OccurredAt, Actor: r.ActorLabel, ActorType: r.ActorType, Action: r.Action,
		ActionWords: auditpage.ActionWords(r.Action), Target: auditTarget(c, r, names), Details: auditDetails(r.Details),
		IP: r.IP, RequestID: r.RequestID,
	}
}

// auditTarget names a row's target and links to its page, if it has one.
func auditTarget(c echo.Context, r dbsqlc.AuditLog, names map[string]string) auditpage.Target {
	if r.TargetType == "" {
		return auditpage.Target{}
	}
	kind := components.FieldLabel(r.TargetType)
	name, named := names[r.TargetType+":"+r.TargetID]
	switch {
	case named:
	case r.TargetType == "organization":
		name, named = currentOrg(c).Name, true
	case r.TargetType == "control":
		name, named = r.TargetID, true
	case r.TargetID != "":
		name = r.TargetID
	}
	t := auditpage.Target{Kind: kind, Name: name}
	if !named {
		return t
	}
	if r.TargetType == "organization" {
		t.URL = orgPath(c, "/settings")
	} else if page, ok := auditTargetPages[r.TargetType]; ok {
		t.URL = orgPath(c, page+r.TargetID)
	}
	return t
}

// auditDetails are a row's details as labelled fields, in name order.
func auditDetails(raw []byte) []auditpage.Field {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		if s := strings.TrimSpace(string(raw)); s != "" && s != "null" {
			return []auditpage.Field{{Label: "Details", Value: s}}
		}
		return nil
	}
	out := make([]auditpage.Field, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, auditpage.Field{Label: components.FieldLabel(k), Value: detailValue(m[k])})
	}
	return out
}

// detailValue shows one detail: text as it is (moments and days in the
// display formats), yes or no, numbers, lists joined, nothing as a dash;
// anything else as compact JSON.
func detailValue(raw json.RawMessage) string {
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return string(raw)
	}
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return components.Absolute(t)
		}
		if t, err := time.Parse(time.DateOnly, x); err == nil {
			return components.Day(t)
		}
		return x
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case json.Number:
		return x.String()
	case []any:
		if len(x) == 0 {
			return "—"
		}
		parts := make([]string, len(x))
		for i, e := range x {
			b, _ := json.Marshal(e)
			parts[i] = detailValue(b)
		}
		return strings.Join(parts, ", ")
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	return b.String()
}
