-- name: SyncJobActive :one
-- Whether a sync of the connection is queued, scheduled, running or waiting
-- to retry. River's table sits outside RLS; callers pass a connection they
-- have already loaded in the organization's scope.
SELECT coalesce(
    (SELECT state::text FROM river_job
     WHERE kind = 'sync_connection' AND args ->> 'connection_id' = sqlc.arg(connection_id)::text
       AND state IN ('available', 'running', 'retryable', 'scheduled', 'pending')
     ORDER BY id DESC LIMIT 1), '')::text AS state;
