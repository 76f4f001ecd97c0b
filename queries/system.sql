-- name: SystemIDs :many
-- The one cross-tenant read: ids only, through the SECURITY DEFINER function.
SELECT org_id::uuid AS org_id, id::uuid AS id
FROM system_ids(sqlc.arg(kind)::text, sqlc.arg(at)::timestamptz, sqlc.narg(after)::uuid, sqlc.arg(max_rows)::integer);
