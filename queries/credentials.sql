-- Sealed credentials and the data key they are sealed under, for key
-- rotation. Every read locks what it returns, so sealing and syncing wait
-- for a rotation of the organization to commit (they lock the organization
-- row or the connection first).

-- name: OrgKeyGetForUpdate :one
SELECT id, slug, wrapped_data_key FROM organizations WHERE id = sqlc.arg(id) FOR UPDATE;

-- name: ConnectionCredentialsListForUpdate :many
-- Every connection holding a sealed credential (revoked ones hold none).
SELECT id, client_secret_sealed, refresh_token_sealed FROM connections
WHERE client_secret_sealed IS NOT NULL OR refresh_token_sealed IS NOT NULL
ORDER BY id FOR UPDATE;

-- name: ConnectionCredentialsSet :exec
UPDATE connections
SET client_secret_sealed = sqlc.narg(client_secret_sealed), refresh_token_sealed = sqlc.narg(refresh_token_sealed)
WHERE id = sqlc.arg(id);

-- name: OAuthFlowVerifiersListForUpdate :many
-- Authorizations in flight hold a sealed PKCE verifier.
SELECT state_hash, connection_id, verifier_sealed FROM oauth_flows
WHERE verifier_sealed IS NOT NULL
ORDER BY state_hash FOR UPDATE;

-- name: OAuthFlowVerifierSet :exec
UPDATE oauth_flows SET verifier_sealed = sqlc.arg(verifier_sealed) WHERE state_hash = sqlc.arg(state_hash);
