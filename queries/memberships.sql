-- name: MembershipUpsert :one
INSERT INTO memberships (org_id, user_id, role, expires_at, created_by, created_at)
VALUES (sqlc.arg(org_id), sqlc.arg(user_id), sqlc.arg(role), sqlc.narg(expires_at), sqlc.narg(created_by), sqlc.arg(created_at))
ON CONFLICT (org_id, user_id) DO UPDATE
SET role = excluded.role, expires_at = excluded.expires_at, revoked_at = NULL
RETURNING *;

-- name: MembershipGet :one
SELECT * FROM memberships WHERE org_id = sqlc.arg(org_id) AND user_id = sqlc.arg(user_id);

-- name: MembershipListForUser :many
-- Every organization the user belongs to, including expired auditor access
-- (callers decide what an expiry means at their clock).
SELECT m.org_id, m.role, m.expires_at
FROM memberships m
WHERE m.user_id = sqlc.arg(user_id) AND m.revoked_at IS NULL;

-- name: MembershipListEndedForUser :many
-- The organizations whose access the user has lost: expired at now, or
-- revoked (so a refused sign-in is recorded where the access ended).
SELECT m.org_id FROM memberships m
WHERE m.user_id = sqlc.arg(user_id) AND (m.revoked_at IS NOT NULL OR m.expires_at <= sqlc.arg(now)::timestamptz);
