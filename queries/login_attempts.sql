-- name: LoginAttemptRecord :exec
INSERT INTO login_attempts (email, ip, succeeded, attempted_at)
VALUES (sqlc.arg(email), sqlc.arg(ip), sqlc.arg(succeeded), sqlc.arg(attempted_at));

-- name: LoginFailuresForEmail :one
-- Failures since the last success, within the window.
SELECT count(*)::int AS failures, coalesce(max(attempted_at), 'epoch')::timestamptz AS last_failure
FROM login_attempts a
WHERE a.email = sqlc.arg(email) AND NOT a.succeeded AND a.attempted_at > sqlc.arg(since)
  AND a.attempted_at > coalesce((SELECT max(s.attempted_at) FROM login_attempts s
                                 WHERE s.email = sqlc.arg(email) AND s.succeeded), 'epoch');

-- name: LoginFailuresForIP :one
SELECT count(*)::int AS failures, coalesce(max(attempted_at), 'epoch')::timestamptz AS last_failure
FROM login_attempts
WHERE ip = sqlc.arg(ip) AND NOT succeeded AND attempted_at > sqlc.arg(since);

-- name: LoginAttemptsPurge :exec
DELETE FROM login_attempts WHERE attempted_at < sqlc.arg(before);
