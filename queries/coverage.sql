-- name: CoverageSnapshotUpsert :exec
INSERT INTO coverage_snapshots (org_id, day, in_scope, passing, failing, stale, unknown, no_evidence, controls, taken_at)
VALUES (sqlc.arg(org_id), sqlc.arg(day), sqlc.arg(in_scope), sqlc.arg(passing), sqlc.arg(failing), sqlc.arg(stale),
        sqlc.arg(unknown), sqlc.arg(no_evidence), sqlc.arg(controls), sqlc.arg(taken_at))
ON CONFLICT (org_id, day) DO UPDATE
SET in_scope = excluded.in_scope, passing = excluded.passing, failing = excluded.failing, stale = excluded.stale,
    unknown = excluded.unknown, no_evidence = excluded.no_evidence, controls = excluded.controls, taken_at = excluded.taken_at;

-- name: CoverageSnapshotsSince :many
-- The daily snapshots the coverage chart and the controls' histories show.
SELECT day, in_scope, passing, controls FROM coverage_snapshots WHERE day >= sqlc.arg(since) ORDER BY day;
