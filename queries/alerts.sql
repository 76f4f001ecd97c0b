-- name: AlertOpen :one
-- Opens an alert unless one of the kind is already open for the connection.
INSERT INTO alerts (org_id, connection_id, kind, title, message, opened_at)
VALUES (sqlc.arg(org_id), sqlc.arg(connection_id)::uuid, sqlc.arg(kind), sqlc.arg(title), sqlc.arg(message), sqlc.arg(opened_at))
ON CONFLICT (connection_id, kind) WHERE resolved_at IS NULL DO NOTHING
RETURNING *;

-- name: AlertResolve :one
UPDATE alerts SET resolved_at = sqlc.arg(now)::timestamptz
WHERE id = sqlc.arg(id) AND resolved_at IS NULL
RETURNING *;

-- name: AlertsOpenForConnection :many
SELECT * FROM alerts WHERE connection_id = sqlc.arg(connection_id)::uuid AND resolved_at IS NULL;

-- name: AlertsList :many
-- Open alerts first, newest first, then recently resolved ones.
SELECT a.*, coalesce(c.display_name, d.title, '')::text AS connection_name,
       coalesce(u.email, '')::text AS assignee_email, coalesce(u.display_name, '')::text AS assignee_name
FROM alerts a LEFT JOIN connections c ON c.id = a.connection_id LEFT JOIN documents d ON d.id = a.document_id
LEFT JOIN users u ON u.id = a.assignee_id
WHERE a.resolved_at IS NULL OR a.resolved_at > sqlc.arg(resolved_since)::timestamptz
ORDER BY a.resolved_at IS NOT NULL, a.opened_at DESC
LIMIT sqlc.arg(max_rows);

-- name: OrgBanner :one
-- What every page of an organization reads: its open alerts (the banner's
-- count) and its read version (db/migrations/00024_org_versions.sql).
SELECT (SELECT count(*) FROM alerts WHERE resolved_at IS NULL)::int AS open_alerts,
       coalesce((SELECT v.version FROM org_versions v), 0)::bigint AS version;

-- name: AlertGet :one
SELECT a.*, coalesce(c.display_name, d.title, '')::text AS connection_name,
       coalesce(u.email, '')::text AS assignee_email, coalesce(u.display_name, '')::text AS assignee_name
FROM alerts a LEFT JOIN connections c ON c.id = a.connection_id LEFT JOIN documents d ON d.id = a.document_id
LEFT JOIN users u ON u.id = a.assignee_id
WHERE a.id = sqlc.arg(id);

-- name: AlertAcknowledge :one
UPDATE alerts SET acknowledged_at = sqlc.arg(now)::timestamptz, acknowledged_by = sqlc.arg(user_id)
WHERE id = sqlc.arg(id) AND acknowledged_at IS NULL
RETURNING *;

-- name: AlertDeliveryRecord :exec
INSERT INTO alert_deliveries (org_id, alert_id, event, attempt, status_code, error, duration_ms, at)
VALUES (sqlc.arg(org_id), sqlc.arg(alert_id), sqlc.arg(event), sqlc.arg(attempt), sqlc.narg(status_code), sqlc.arg(error),
        sqlc.arg(duration_ms), sqlc.arg(at));

-- name: AlertDeliveriesForAlerts :many
SELECT * FROM alert_deliveries WHERE alert_id = ANY(sqlc.arg(alert_ids)::uuid[]) ORDER BY at DESC;
