-- name: LoginAttemptLock :exec
-- Serialises sign-in attempts on one key (scope 'email' or 'ip') until the
-- transaction ends. Callers take the email lock before the ip lock.
SELECT pg_advisory_xact_lock(hashtext('attest.login_attempts.' || sqlc.arg(scope)::text), hashtext(sqlc.arg(key)::text));

-- name: LoginAttemptRecord :exec
INSERT INTO login_attempts (email, ip, succeeded, attempted_at)
VALUES (sqlc.arg(email), sqlc.arg(ip), sqlc.arg(succeeded), sqlc.arg(attempted_at));

-- name: LoginAttemptReserve :one
-- Counts an attempt as failed before its password is checked, so that
-- concurrent attempts see it; a success or an attempt never evaluated takes
-- it back (LoginAttemptWithdraw).
INSERT INTO login_attempts (email, ip, succeeded, attempted_at)
VALUES (sqlc.arg(email), sqlc.arg(ip), false, sqlc.arg(attempted_at))
RETURNING id;

-- name: LoginAttemptWithdraw :exec
DELETE FROM login_attempts WHERE id = sqlc.arg(id) AND NOT succeeded;

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
