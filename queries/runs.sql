-- name: RunStart :one
INSERT INTO connector_runs (org_id, connection_id, trigger, job_id, attempt, status, started_at)
VALUES (sqlc.arg(org_id), sqlc.arg(connection_id), sqlc.arg(trigger), sqlc.narg(job_id), sqlc.arg(attempt), 'running', sqlc.arg(started_at))
RETURNING *;

-- name: RunFinish :exec
UPDATE connector_runs
SET status = sqlc.arg(status), finished_at = sqlc.arg(finished_at)::timestamptz, datasets = sqlc.arg(datasets),
    error_class = sqlc.arg(error_class), error_message = sqlc.arg(error_message), evidence_new = sqlc.arg(evidence_new),
    requests = sqlc.arg(requests), throttled = sqlc.arg(throttled), retries = sqlc.arg(retries)
WHERE id = sqlc.arg(id) AND finished_at IS NULL;

-- name: RunInterruptStale :exec
-- Runs left "running" by a process that died are closed as failed.
UPDATE connector_runs
SET status = 'failed', finished_at = sqlc.arg(now)::timestamptz, error_class = 'transient',
    error_message = 'interrupted: the process running this sync stopped before it finished'
WHERE connection_id = sqlc.arg(connection_id) AND status = 'running';

-- name: RunGet :one
SELECT * FROM connector_runs WHERE id = sqlc.arg(id);

-- name: RunListForConnection :many
SELECT * FROM connector_runs WHERE connection_id = sqlc.arg(connection_id)
ORDER BY started_at DESC, id DESC
LIMIT sqlc.arg(max_rows);

-- name: RunLastDatasets :many
-- The newest finished run's dataset outcomes, for event-window cursors.
SELECT datasets FROM connector_runs
WHERE connection_id = sqlc.arg(connection_id) AND finished_at IS NOT NULL AND status IN ('succeeded', 'partial')
ORDER BY started_at DESC
LIMIT 24;

-- name: ConnectionSyncStarted :exec
UPDATE connections SET last_run_id = sqlc.arg(run_id), last_sync_at = sqlc.arg(now)::timestamptz WHERE id = sqlc.arg(id);

-- name: ConnectionSyncFinished :exec
UPDATE connections
SET next_sync_at = sqlc.arg(next_sync_at)::timestamptz,
    last_success_at = CASE WHEN sqlc.arg(succeeded)::boolean THEN sqlc.arg(now)::timestamptz ELSE last_success_at END,
    consecutive_failures = CASE WHEN sqlc.arg(succeeded)::boolean THEN 0 ELSE consecutive_failures + 1 END
WHERE id = sqlc.arg(id);

-- name: ConnectionNeedsReauth :exec
UPDATE connections SET status = 'needs_reauth', status_reason = sqlc.arg(status_reason)
WHERE id = sqlc.arg(id) AND status = 'active';

-- name: ConnectionSaveRefreshToken :execrows
UPDATE connections SET refresh_token_sealed = sqlc.arg(refresh_token_sealed), token_rotated_at = sqlc.arg(now)::timestamptz
WHERE id = sqlc.arg(id) AND deleted_at IS NULL;

-- name: ConnectionScheduleNow :exec
UPDATE connections SET next_sync_at = sqlc.arg(now)::timestamptz WHERE id = sqlc.arg(id);
