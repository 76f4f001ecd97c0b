-- name: ValidatorGet :one
SELECT validator, body, links, stored_at FROM conditional_validators
WHERE connection_id = sqlc.arg(connection_id) AND url = sqlc.arg(url);

-- name: ValidatorPut :exec
INSERT INTO conditional_validators (org_id, connection_id, url, validator, body, links, stored_at)
VALUES (sqlc.arg(org_id), sqlc.arg(connection_id), sqlc.arg(url), sqlc.arg(validator), sqlc.arg(body), sqlc.arg(links), sqlc.arg(now))
ON CONFLICT (connection_id, url) DO UPDATE
SET validator = EXCLUDED.validator, body = EXCLUDED.body, links = EXCLUDED.links, stored_at = EXCLUDED.stored_at;

-- name: ValidatorsDeleteForConnection :exec
DELETE FROM conditional_validators WHERE connection_id = sqlc.arg(connection_id);
