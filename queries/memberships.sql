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

-- name: MemberList :many
-- The organization's live owners and admins, owners first.
SELECT u.id AS user_id, u.email, u.display_name, m.role, m.created_at
FROM memberships m JOIN users u ON u.id = m.user_id
WHERE m.org_id = sqlc.arg(org_id) AND m.role IN ('owner', 'admin') AND m.revoked_at IS NULL
ORDER BY m.role DESC, u.email;

-- name: MemberOwnersForUpdate :many
-- Locks the organization's live owners. A concurrent demotion waits, then
-- re-reads the rows: one that is no longer an owner drops out of the list.
SELECT user_id FROM memberships
WHERE org_id = sqlc.arg(org_id) AND role = 'owner' AND revoked_at IS NULL
ORDER BY user_id
FOR UPDATE;

-- name: MemberSetRole :one
-- Changes a live owner's or admin's role; returns the role it had.
UPDATE memberships m SET role = sqlc.arg(role)
FROM memberships old
WHERE m.org_id = sqlc.arg(org_id) AND m.user_id = sqlc.arg(user_id)
  AND old.org_id = m.org_id AND old.user_id = m.user_id
  AND m.role IN ('owner', 'admin') AND m.revoked_at IS NULL
RETURNING old.role AS previous_role;

-- name: MemberRemove :one
-- Ends a live owner's or admin's membership (kept, marked revoked).
UPDATE memberships SET revoked_at = sqlc.arg(now)
WHERE org_id = sqlc.arg(org_id) AND user_id = sqlc.arg(user_id)
  AND role IN ('owner', 'admin') AND revoked_at IS NULL
RETURNING role;
