-- name: OperatorExists :one
-- Whether the user is a platform operator (the table is global, readable by
-- the application role).
SELECT EXISTS (SELECT 1 FROM operators WHERE user_id = sqlc.arg(user_id))::boolean AS operator;

-- name: OperatorAdd :execrows
-- Marks a user an operator. Runs on the owner's connection only: the
-- application role may not write the table.
INSERT INTO operators (user_id, created_at) VALUES (sqlc.arg(user_id), sqlc.arg(created_at))
ON CONFLICT (user_id) DO NOTHING;

-- name: OrgHealthList :many
-- Per organization, connection counts by health at sqlc.arg(at): aggregates
-- only, through the SECURITY DEFINER function that refuses non-operators
-- (run it in db.AsUser). sqlc cannot see that a function's column may be
-- NULL, so an organization without any successful sync says so in synced.
SELECT org_id::uuid AS org_id, slug::text AS slug, name::text AS name,
       fresh::bigint AS fresh, awaiting::bigint AS awaiting, stale::bigint AS stale,
       needs_reauth::bigint AS needs_reauth, failing::bigint AS failing, pending::bigint AS pending,
       open_alerts::bigint AS open_alerts, (oldest_success IS NOT NULL)::boolean AS synced,
       coalesce(oldest_success, 'epoch')::timestamptz AS oldest_success
FROM ops_org_health(sqlc.arg(at)::timestamptz);

-- name: SystemCountList :many
-- Platform-wide counts for metrics: live connections by health and open
-- alerts by kind, over every organization, with no organization in them.
SELECT series::text AS series, label::text AS label, n::bigint AS n
FROM system_counts(sqlc.arg(at)::timestamptz);

-- name: JobDepthList :many
-- Unfinished River jobs by queue and state, zero included for every queue
-- River knows. River's tables sit outside RLS; only counts leave this query.
WITH depth AS (
    SELECT queue, state::text AS state, count(*) AS jobs
    FROM river_job
    WHERE state IN ('available', 'pending', 'retryable', 'running', 'scheduled')
    GROUP BY queue, state
)
SELECT q.queue::text AS queue, s.state::text AS state, coalesce(d.jobs, 0)::bigint AS jobs
FROM (SELECT name AS queue FROM river_queue UNION SELECT queue FROM depth) q
CROSS JOIN unnest(ARRAY['available', 'pending', 'retryable', 'running', 'scheduled']::text[]) AS s(state)
LEFT JOIN depth d ON d.queue = q.queue AND d.state = s.state
ORDER BY 1, 2;
