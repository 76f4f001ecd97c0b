-- The export's statements. internal/export streams their rows with tx.Query
-- (see internal/export/stream.go): sqlc checks them against the schema and
-- encodes their parameters, but its :many methods, which load every row, are
-- never run to completion.

-- name: ExportEvidence :many
-- The records of an export, oldest first, with optional filters: a kind,
-- a list of kinds (NULL for any), a connection, a collected_at range
-- [from, to) and an assessment's included records.
SELECT coalesce(c.display_name, 'Documents')::text AS connection_name, e.kind, e.subject_label, e.observed_at, e.collected_at,
       e.fingerprint, e.payload
FROM evidence e
LEFT JOIN connections c ON c.id = e.connection_id
WHERE (sqlc.arg(kind)::text = '' OR e.kind = sqlc.arg(kind)::text)
  AND (sqlc.narg(kinds)::text[] IS NULL OR e.kind = ANY (sqlc.narg(kinds)::text[]))
  AND (sqlc.narg(connection_id)::uuid IS NULL OR e.connection_id = sqlc.narg(connection_id)::uuid)
  AND (sqlc.narg(collected_from)::timestamptz IS NULL OR e.collected_at >= sqlc.narg(collected_from)::timestamptz)
  AND (sqlc.narg(collected_to)::timestamptz IS NULL OR e.collected_at < sqlc.narg(collected_to)::timestamptz)
  AND (sqlc.narg(assessment_id)::uuid IS NULL OR EXISTS (
      SELECT 1 FROM assessment_evidence ae
      WHERE ae.assessment_id = sqlc.narg(assessment_id)::uuid AND ae.evidence_id = e.id AND ae.included))
ORDER BY e.collected_at, e.id;

-- name: ExportFingerprints :many
-- An assessment's included records' fingerprints, sorted bytewise: the
-- input of its root hash (see AssessmentRootHash).
SELECT e.fingerprint
FROM assessment_evidence ae JOIN evidence e ON e.id = ae.evidence_id
WHERE ae.assessment_id = sqlc.arg(assessment_id) AND ae.included
ORDER BY e.fingerprint;
