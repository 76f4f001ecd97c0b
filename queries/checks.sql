-- name: CheckResultInsert :one
INSERT INTO check_results (org_id, connection_id, run_id, check_key, status, reason, subjects_total, subjects_failing,
                           subjects_excluded, failing_digest, evaluated_at)
VALUES (sqlc.arg(org_id), sqlc.arg(connection_id), sqlc.arg(run_id), sqlc.arg(check_key), sqlc.arg(status), sqlc.arg(reason),
        sqlc.arg(subjects_total), sqlc.arg(subjects_failing), sqlc.arg(subjects_excluded), sqlc.narg(failing_digest), sqlc.arg(evaluated_at))
RETURNING *;

-- name: CheckCurrentSet :exec
-- Makes a stored result the check's current one.
INSERT INTO check_current (org_id, connection_id, check_key, result_id, status, reason, subjects_total, subjects_failing,
                           subjects_excluded, evaluated_at)
SELECT r.org_id, r.connection_id, r.check_key, r.id, r.status, r.reason, r.subjects_total, r.subjects_failing,
       r.subjects_excluded, r.evaluated_at
FROM check_results r WHERE r.id = sqlc.arg(result_id)
ON CONFLICT (connection_id, check_key) DO UPDATE
SET result_id = excluded.result_id, status = excluded.status, reason = excluded.reason, subjects_total = excluded.subjects_total,
    subjects_failing = excluded.subjects_failing, subjects_excluded = excluded.subjects_excluded, evaluated_at = excluded.evaluated_at;

-- name: CheckCurrentForOrg :many
-- Every live connection's current check results (what coverage reads),
-- optionally only those of some checks.
SELECT cc.connection_id, cc.check_key, cc.status, cc.reason, cc.subjects_failing, cc.subjects_excluded, cc.evaluated_at,
       c.display_name AS connection_name, c.last_success_at, c.stale_after_seconds
FROM check_current cc
JOIN connections c ON c.id = cc.connection_id AND c.deleted_at IS NULL
WHERE sqlc.narg(check_keys)::text[] IS NULL OR cc.check_key = ANY (sqlc.narg(check_keys)::text[])
ORDER BY c.display_name, cc.check_key;

-- name: CheckCurrentForConnection :many
SELECT * FROM check_current WHERE connection_id = sqlc.arg(connection_id) ORDER BY check_key;

-- name: CheckFailuresOf :many
-- A check's failing subjects as the last result left them: what the next
-- result is compared with, so that only the difference is written.
SELECT subject_key, subject_label, detail
FROM check_failures
WHERE connection_id = sqlc.arg(connection_id) AND check_key = sqlc.arg(check_key);

-- name: CheckFailuresAdd :exec
-- Adds subjects that start failing a check, failing since now. The caller
-- read the check's failing subjects in the same transaction, under the
-- connection's sync lock, so none of them is stored yet: a plain insert,
-- without the per-row conflict check of ON CONFLICT.
INSERT INTO check_failures (org_id, connection_id, check_key, subject_key, subject_label, detail, since)
SELECT sqlc.arg(org_id), sqlc.arg(connection_id), sqlc.arg(check_key), unnest(sqlc.arg(subject_keys)::text[]),
       unnest(sqlc.arg(subject_labels)::text[]), unnest(sqlc.arg(details)::text[]), sqlc.arg(now)::timestamptz;

-- name: CheckFailuresUpdate :exec
-- Updates the label and detail of subjects still failing a check; their
-- "since" stays.
UPDATE check_failures f
SET subject_label = i.subject_label, detail = i.detail
FROM (SELECT unnest(sqlc.arg(subject_keys)::text[]) AS subject_key, unnest(sqlc.arg(subject_labels)::text[]) AS subject_label,
             unnest(sqlc.arg(details)::text[]) AS detail) i
WHERE f.connection_id = sqlc.arg(connection_id) AND f.check_key = sqlc.arg(check_key) AND f.subject_key = i.subject_key;

-- name: CheckFailuresRemove :exec
-- Removes subjects that no longer fail a check.
DELETE FROM check_failures
WHERE connection_id = sqlc.arg(connection_id) AND check_key = sqlc.arg(check_key)
  AND subject_key = ANY (sqlc.arg(subject_keys)::text[]);

-- name: CheckFailuresList :many
-- A page of a check's failing subjects, excluded ones last, by name or, with
-- by_since, longest failing first.
SELECT f.*, coalesce(x.id::text, '')::text AS exclusion_id, coalesce(x.reason, '')::text AS exclusion_reason,
       coalesce(x.expires_at, 'epoch')::timestamptz AS exclusion_expires_at
FROM check_failures f
LEFT JOIN LATERAL (
    SELECT e.id, e.reason, e.expires_at FROM check_exclusions e
    WHERE e.connection_id = f.connection_id AND e.check_key = f.check_key AND e.subject_key = f.subject_key
      AND e.revoked_at IS NULL AND e.expires_at > sqlc.arg(now)::timestamptz
    ORDER BY e.created_at DESC LIMIT 1
) x ON true
WHERE f.connection_id = sqlc.arg(connection_id) AND f.check_key = sqlc.arg(check_key)
ORDER BY (x.id IS NOT NULL), CASE WHEN sqlc.arg(by_since)::boolean THEN f.since END, f.subject_label, f.subject_key
LIMIT sqlc.arg(max_rows) OFFSET sqlc.arg(skip);

-- name: CheckExclusionsActive :many
SELECT * FROM check_exclusions
WHERE connection_id = sqlc.arg(connection_id) AND revoked_at IS NULL AND expires_at > sqlc.arg(now)::timestamptz
ORDER BY check_key, subject_label;

-- name: CheckExclusionCreate :one
INSERT INTO check_exclusions (org_id, connection_id, check_key, subject_key, subject_label, reason, expires_at, created_by, created_at)
VALUES (sqlc.arg(org_id), sqlc.arg(connection_id), sqlc.arg(check_key), sqlc.arg(subject_key), sqlc.arg(subject_label),
        sqlc.arg(reason), sqlc.arg(expires_at), sqlc.arg(created_by), sqlc.arg(created_at))
RETURNING *;

-- name: CheckExclusionRevoke :one
UPDATE check_exclusions SET revoked_at = sqlc.arg(now)::timestamptz, revoked_by = sqlc.arg(revoked_by)
WHERE id = sqlc.arg(id) AND revoked_at IS NULL
RETURNING *;

-- name: CheckFailuresCount :one
-- Failing subjects of a check, and how many of them an active exclusion covers.
SELECT count(*)::int AS failing,
       count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM check_exclusions e
           WHERE e.connection_id = f.connection_id AND e.check_key = f.check_key AND e.subject_key = f.subject_key
             AND e.revoked_at IS NULL AND e.expires_at > sqlc.arg(now)::timestamptz))::int AS excluded
FROM check_failures f
WHERE f.connection_id = sqlc.arg(connection_id) AND f.check_key = sqlc.arg(check_key);

-- name: CheckFailureGet :one
SELECT * FROM check_failures
WHERE connection_id = sqlc.arg(connection_id) AND check_key = sqlc.arg(check_key) AND subject_key = sqlc.arg(subject_key);

-- name: CheckExclusionGet :one
SELECT * FROM check_exclusions WHERE id = sqlc.arg(id);

-- name: CheckCurrentGet :one
SELECT * FROM check_current WHERE connection_id = sqlc.arg(connection_id) AND check_key = sqlc.arg(check_key);

-- name: CheckCurrentDigests :many
-- The failing-subject digest of each check's current result.
SELECT cc.check_key, r.failing_digest
FROM check_current cc JOIN check_results r ON r.id = cc.result_id
WHERE cc.connection_id = sqlc.arg(connection_id);

-- name: CheckResultGet :one
SELECT * FROM check_results WHERE id = sqlc.arg(id);

-- name: CheckExclusionsActiveForOrg :many
SELECT x.* FROM check_exclusions x
JOIN connections c ON c.id = x.connection_id AND c.deleted_at IS NULL
WHERE x.revoked_at IS NULL AND x.expires_at > sqlc.arg(now)::timestamptz
ORDER BY x.check_key, x.subject_label;
