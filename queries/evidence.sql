-- name: EvidenceList :many
-- Newest first, keyset-paginated by (collected_at, id), with optional filters.
SELECT e.id, e.connection_id, e.kind, e.subject_key, e.subject_label, e.fingerprint, e.observed_at, e.collected_at,
       coalesce(c.display_name, 'Documents')::text AS connection_name,
       EXISTS (SELECT 1 FROM evidence_current cur
               WHERE cur.connection_id = e.connection_id AND cur.kind = e.kind AND cur.subject_key = e.subject_key
                 AND cur.evidence_id = e.id) AS is_current
FROM evidence e
LEFT JOIN connections c ON c.id = e.connection_id
WHERE (sqlc.arg(kind)::text = '' OR e.kind = sqlc.arg(kind)::text)
  AND (sqlc.narg(connection_id)::uuid IS NULL OR e.connection_id = sqlc.narg(connection_id)::uuid)
  AND (sqlc.narg(collected_from)::timestamptz IS NULL OR e.collected_at >= sqlc.narg(collected_from)::timestamptz)
  AND (sqlc.narg(collected_to)::timestamptz IS NULL OR e.collected_at < sqlc.narg(collected_to)::timestamptz)
  AND (sqlc.arg(subject)::text = '' OR e.subject_label ILIKE '%' || sqlc.arg(subject)::text || '%' OR e.subject_key = sqlc.arg(subject)::text)
  AND (sqlc.narg(before_collected)::timestamptz IS NULL
       OR (e.collected_at, e.id) < (sqlc.narg(before_collected)::timestamptz, sqlc.arg(before_id)::bigint))
ORDER BY e.collected_at DESC, e.id DESC
LIMIT sqlc.arg(max_rows);

-- name: EvidenceGet :one
SELECT e.*, coalesce(c.display_name, 'Documents')::text AS connection_name, coalesce(c.connector, 'documents')::text AS connector,
       EXISTS (SELECT 1 FROM evidence_current cur
               WHERE cur.connection_id = e.connection_id AND cur.kind = e.kind AND cur.subject_key = e.subject_key
                 AND cur.evidence_id = e.id) AS is_current
FROM evidence e
LEFT JOIN connections c ON c.id = e.connection_id
WHERE e.id = sqlc.arg(id);

-- name: EvidenceObservingRuns :many
-- The runs that saw a record: every finished run of its connection from the
-- run that first stored it until it was superseded (or until now, while it
-- is current), in which its dataset was read.
SELECT r.id, r.started_at, r.finished_at, r.status, r.trigger
FROM connector_runs r
WHERE r.connection_id = sqlc.arg(connection_id)
  AND r.finished_at IS NOT NULL
  AND r.datasets -> sqlc.arg(dataset)::text ->> 'status' = 'ok'
  AND EXISTS (
      SELECT 1 FROM (
          SELECT fr.started_at AS since, NULL::timestamptz AS until
          FROM evidence e JOIN evidence_current cur
            ON cur.connection_id = e.connection_id AND cur.kind = e.kind AND cur.subject_key = e.subject_key AND cur.evidence_id = e.id
          JOIN connector_runs fr ON fr.id = cur.since_run_id
          WHERE e.id = sqlc.arg(evidence_id)
          UNION ALL
          SELECT fr.started_at, tr.started_at
          FROM evidence_superseded s
          JOIN connector_runs fr ON fr.id = s.from_run_id
          JOIN connector_runs tr ON tr.id = s.to_run_id
          WHERE s.evidence_id = sqlc.arg(evidence_id)
      ) span
      WHERE r.started_at >= span.since AND (span.until IS NULL OR r.started_at < span.until))
ORDER BY r.started_at DESC
LIMIT sqlc.arg(max_rows);

-- name: EvidenceHistory :many
-- Every stored version of one subject, newest first: the record it points
-- at now and every record it pointed at before.
SELECT e.id, e.fingerprint, e.observed_at, e.collected_at, e.first_run_id
FROM evidence e
WHERE e.id IN (
    SELECT c.evidence_id FROM evidence_current c
    WHERE c.connection_id = sqlc.arg(connection_id) AND c.kind = sqlc.arg(kind) AND c.subject_key = sqlc.arg(subject_key)
    UNION
    SELECT s.evidence_id FROM evidence_superseded s
    WHERE s.connection_id = sqlc.arg(connection_id) AND s.kind = sqlc.arg(kind) AND s.subject_key = sqlc.arg(subject_key))
ORDER BY e.collected_at DESC, e.id DESC
LIMIT 50;

-- name: EvidenceKinds :many
SELECT DISTINCT kind FROM evidence_current ORDER BY kind;
