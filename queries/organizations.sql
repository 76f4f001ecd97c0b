-- name: OrgCreate :one
INSERT INTO organizations (id, slug, name)
VALUES (sqlc.arg(id), sqlc.arg(slug), sqlc.arg(name))
RETURNING *;

-- name: OrgGet :one
SELECT * FROM organizations WHERE id = sqlc.arg(id);

-- name: OrgGetBySlug :one
-- Under AsUser this finds only organizations the user belongs to.
SELECT * FROM organizations WHERE slug = sqlc.arg(slug);

-- name: OrgListForUser :many
SELECT sqlc.embed(o), m.role, m.expires_at, m.assessment_id
FROM organizations o
JOIN memberships m ON m.org_id = o.id
WHERE m.user_id = sqlc.arg(user_id) AND m.revoked_at IS NULL
ORDER BY o.name, o.slug;

-- name: OrgDataKeyForUpdate :one
-- Locks the organization row so two first seals cannot create two data keys.
SELECT wrapped_data_key FROM organizations WHERE id = sqlc.arg(id) FOR UPDATE;

-- name: OrgDataKey :one
SELECT wrapped_data_key FROM organizations WHERE id = sqlc.arg(id);

-- name: OrgSetDataKey :exec
UPDATE organizations SET wrapped_data_key = sqlc.arg(wrapped_data_key) WHERE id = sqlc.arg(id);

-- name: OrgSetSettings :exec
UPDATE organizations SET settings = sqlc.arg(settings) WHERE id = sqlc.arg(id);

-- name: OrgRename :one
-- Renames the organization; returns its previous name.
UPDATE organizations o SET name = sqlc.arg(name)
FROM organizations old
WHERE o.id = sqlc.arg(id) AND old.id = o.id
RETURNING old.name AS previous_name;
