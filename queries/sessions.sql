-- name: SessionCreate :exec
INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
VALUES (sqlc.arg(id_hash), sqlc.arg(user_id), sqlc.arg(created_at), sqlc.arg(created_at), sqlc.arg(expires_at), sqlc.arg(ip), sqlc.arg(user_agent));

-- name: SessionGet :one
SELECT s.id_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at,
       u.email, u.display_name
FROM sessions s
JOIN users u ON u.id = s.user_id
WHERE s.id_hash = sqlc.arg(id_hash);

-- name: SessionTouch :exec
UPDATE sessions SET last_seen_at = sqlc.arg(now)
WHERE id_hash = sqlc.arg(id_hash) AND revoked_at IS NULL;

-- name: SessionRevoke :exec
UPDATE sessions SET revoked_at = sqlc.arg(now)::timestamptz
WHERE id_hash = sqlc.arg(id_hash) AND revoked_at IS NULL;
