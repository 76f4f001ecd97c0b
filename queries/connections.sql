-- name: ConnectionCreate :one
INSERT INTO connections (org_id, connector, display_name, settings, identity_key, status, created_at, created_by, stale_after_seconds)
VALUES (sqlc.arg(org_id), sqlc.arg(connector), sqlc.arg(display_name), sqlc.arg(settings), sqlc.arg(identity_key),
        'pending', sqlc.arg(created_at), sqlc.narg(created_by), sqlc.arg(stale_after_seconds))
RETURNING *;

-- name: ConnectionGet :one
SELECT * FROM connections WHERE id = sqlc.arg(id);

-- name: ConnectionGetForUpdate :one
SELECT * FROM connections WHERE id = sqlc.arg(id) FOR UPDATE;

-- name: ConnectionFindLive :one
SELECT * FROM connections
WHERE connector = sqlc.arg(connector) AND identity_key = sqlc.arg(identity_key) AND deleted_at IS NULL
FOR UPDATE;

-- name: ConnectionList :many
-- Live connections first, then revoked ones, newest first within each.
SELECT * FROM connections
WHERE connector = sqlc.arg(connector)
ORDER BY deleted_at IS NOT NULL, created_at DESC;

-- name: ConnectionHealthList :many
-- What the dashboard's health panel and "needs attention" list need of each
-- live connection.
SELECT id, display_name, status, connected_at, last_success_at, consecutive_failures, stale_after_seconds
FROM connections WHERE deleted_at IS NULL;

-- name: ConnectionListAll :many
SELECT * FROM connections ORDER BY deleted_at IS NOT NULL, created_at DESC;

-- name: ConnectionUpdateSetup :exec
UPDATE connections
SET display_name = sqlc.arg(display_name), settings = sqlc.arg(settings), client_secret_sealed = sqlc.arg(client_secret_sealed)
WHERE id = sqlc.arg(id);

-- name: ConnectionSetSecret :exec
UPDATE connections SET client_secret_sealed = sqlc.arg(client_secret_sealed) WHERE id = sqlc.arg(id);

-- name: ConnectionActivate :exec
UPDATE connections
SET status = 'active', status_reason = sqlc.arg(status_reason), refresh_token_sealed = sqlc.arg(refresh_token_sealed),
    granted_scopes = sqlc.arg(granted_scopes), consented_by = sqlc.arg(consented_by),
    connected_at = coalesce(connected_at, sqlc.arg(now)::timestamptz), token_rotated_at = sqlc.arg(now)::timestamptz
WHERE id = sqlc.arg(id) AND deleted_at IS NULL;

-- name: ConnectionSetStatusReason :exec
UPDATE connections SET status_reason = sqlc.arg(status_reason) WHERE id = sqlc.arg(id);

-- name: ConnectionRevoke :exec
UPDATE connections
SET status = 'revoked', deleted_at = sqlc.arg(now)::timestamptz, deleted_by = sqlc.narg(deleted_by),
    client_secret_sealed = NULL, refresh_token_sealed = NULL, status_reason = ''
WHERE id = sqlc.arg(id) AND deleted_at IS NULL;

-- name: OAuthFlowCreate :exec
INSERT INTO oauth_flows (state_hash, org_id, connection_id, user_id, session_hash, purpose, verifier_sealed, redirect_uri, created_at, expires_at)
VALUES (sqlc.arg(state_hash), sqlc.arg(org_id), sqlc.arg(connection_id), sqlc.arg(user_id), sqlc.arg(session_hash),
        sqlc.arg(purpose), sqlc.narg(verifier_sealed), sqlc.arg(redirect_uri), sqlc.arg(created_at), sqlc.arg(expires_at));

-- name: OAuthFlowTake :one
SELECT * FROM oauth_flows WHERE state_hash = sqlc.arg(state_hash) FOR UPDATE;

-- name: OAuthFlowMarkUsed :exec
UPDATE oauth_flows SET used_at = sqlc.arg(now)::timestamptz WHERE state_hash = sqlc.arg(state_hash);

-- name: OAuthFlowPurgeExpired :exec
DELETE FROM oauth_flows WHERE expires_at < sqlc.arg(before)::timestamptz;

-- name: ConnectionSetThresholds :exec
UPDATE connections SET stale_after_seconds = sqlc.arg(stale_after_seconds), check_params = sqlc.arg(check_params)
WHERE id = sqlc.arg(id);
