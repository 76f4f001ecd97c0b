-- name: AuditHeadCreate :exec
INSERT INTO audit_heads (org_id, seq, hash) VALUES (sqlc.arg(org_id), 0, sqlc.arg(hash));

-- name: AuditHeadAdvance :one
-- Takes the chain's row lock until the transaction ends; returns the next
-- sequence number and the hash of the row before it.
UPDATE audit_heads SET seq = seq + 1 WHERE org_id = sqlc.arg(org_id)
RETURNING seq, hash;

-- name: AuditHeadSetHash :exec
UPDATE audit_heads SET hash = sqlc.arg(hash) WHERE org_id = sqlc.arg(org_id);

-- name: AuditInsert :exec
INSERT INTO audit_log (org_id, seq, occurred_at, actor_type, actor_id, actor_label, action,
                       target_type, target_id, details, ip, request_id, prev_hash, hash)
VALUES (sqlc.arg(org_id), sqlc.arg(seq), sqlc.arg(occurred_at), sqlc.arg(actor_type), sqlc.narg(actor_id),
        sqlc.arg(actor_label), sqlc.arg(action), sqlc.arg(target_type), sqlc.arg(target_id), sqlc.arg(details),
        sqlc.arg(ip), sqlc.arg(request_id), sqlc.arg(prev_hash), sqlc.arg(hash));

-- name: AuditList :many
-- Newest first, keyset-paginated by sequence number, optionally narrowed to
-- an action family and to one target.
SELECT * FROM audit_log
WHERE org_id = sqlc.arg(org_id)
  AND (sqlc.narg(before_seq)::bigint IS NULL OR seq < sqlc.narg(before_seq)::bigint)
  AND (sqlc.arg(action_prefix)::text = '' OR action LIKE sqlc.arg(action_prefix)::text || '%')
  AND (sqlc.arg(target_id)::text = '' OR (target_type = sqlc.arg(target_type)::text AND target_id = sqlc.arg(target_id)::text))
ORDER BY seq DESC
LIMIT sqlc.arg(max_rows);

-- name: AuditChainPage :many
-- Oldest first, for verification.
SELECT * FROM audit_log
WHERE org_id = sqlc.arg(org_id) AND seq > sqlc.arg(after_seq)
ORDER BY seq
LIMIT sqlc.arg(max_rows);

-- name: AuditHeadGet :one
SELECT * FROM audit_heads WHERE org_id = sqlc.arg(org_id);

-- name: AuditListNewer :many
-- The page above a keyset position, oldest first (callers reverse it).
SELECT * FROM audit_log
WHERE org_id = sqlc.arg(org_id) AND seq > sqlc.arg(after_seq)
  AND (sqlc.arg(action_prefix)::text = '' OR action LIKE sqlc.arg(action_prefix)::text || '%')
  AND (sqlc.arg(target_id)::text = '' OR (target_type = sqlc.arg(target_type)::text AND target_id = sqlc.arg(target_id)::text))
ORDER BY seq
LIMIT sqlc.arg(max_rows);

-- name: AuditListForTarget :many
SELECT * FROM audit_log
WHERE org_id = sqlc.arg(org_id) AND target_type = sqlc.arg(target_type) AND target_id = sqlc.arg(target_id)
ORDER BY seq DESC
LIMIT sqlc.arg(max_rows);
