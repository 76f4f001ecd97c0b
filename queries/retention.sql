-- name: RetentionPurgeBatch :one
-- Deletes up to max_rows records of connections revoked before cutoff that
-- no approved assessment holds (the freeze trigger would refuse them), with
-- their projections, and says how many went and from which connections.
-- Drafts and assessments in review lose such records with them.
WITH doomed AS (
    SELECT e.id, e.connection_id
    FROM evidence e
    JOIN connections c ON c.id = e.connection_id
    WHERE c.deleted_at IS NOT NULL AND c.deleted_at < sqlc.arg(cutoff)
      AND NOT EXISTS (SELECT 1 FROM assessment_evidence ae JOIN assessments a ON a.id = ae.assessment_id
                      WHERE ae.evidence_id = e.id AND a.status = 'approved')
    LIMIT sqlc.arg(max_rows)
), current_gone AS (
    DELETE FROM evidence_current WHERE (connection_id, evidence_id) IN (SELECT connection_id, id FROM doomed)
), superseded_gone AS (
    DELETE FROM evidence_superseded WHERE evidence_id IN (SELECT id FROM doomed)
), gone AS (
    DELETE FROM evidence WHERE id IN (SELECT id FROM doomed) RETURNING connection_id
)
SELECT count(*)::integer AS records, coalesce(array_agg(DISTINCT connection_id), '{}')::uuid[] AS connections FROM gone;
