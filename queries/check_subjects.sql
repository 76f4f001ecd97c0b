-- name: CheckSubjectEvidence :many
-- The current evidence record of each of subject_keys on the connection,
-- among kinds; where a subject has records of several of them, the kind
-- listed first wins.
SELECT DISTINCT ON (ec.subject_key) ec.subject_key, ec.evidence_id
FROM evidence_current ec
WHERE ec.connection_id = sqlc.arg(connection_id) AND ec.subject_key = ANY (sqlc.arg(subject_keys)::text[])
  AND ec.kind = ANY (sqlc.arg(kinds)::text[])
ORDER BY ec.subject_key, array_position(sqlc.arg(kinds)::text[], ec.kind);
