-- name: EvidenceFirstCollected :one
-- When the organization's first evidence record was collected (no rows
-- before any).
SELECT collected_at FROM evidence ORDER BY collected_at, id LIMIT 1;
