-- name: EvidenceCount :one
-- How many records the evidence list's filters match, over all its pages.
SELECT count(*)
FROM evidence e
WHERE (sqlc.arg(kind)::text = '' OR e.kind = sqlc.arg(kind)::text)
  AND (sqlc.narg(connection_id)::uuid IS NULL OR e.connection_id = sqlc.narg(connection_id)::uuid)
  AND (sqlc.narg(collected_from)::timestamptz IS NULL OR e.collected_at >= sqlc.narg(collected_from)::timestamptz)
  AND (sqlc.narg(collected_to)::timestamptz IS NULL OR e.collected_at < sqlc.narg(collected_to)::timestamptz)
  AND (sqlc.arg(subject)::text = '' OR e.subject_label ILIKE '%' || sqlc.arg(subject)::text || '%' OR e.subject_key = sqlc.arg(subject)::text);
