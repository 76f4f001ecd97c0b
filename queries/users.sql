-- name: UserCreate :one
INSERT INTO users (email, display_name, password_hash, password_changed_at)
VALUES (sqlc.arg(email), sqlc.arg(display_name), sqlc.narg(password_hash), sqlc.narg(password_changed_at))
RETURNING *;

-- name: UserGet :one
SELECT * FROM users WHERE id = sqlc.arg(id);

-- name: UserGetByEmail :one
SELECT * FROM users WHERE email = sqlc.arg(email);

-- name: UserSetPassword :exec
UPDATE users SET password_hash = sqlc.arg(password_hash), password_changed_at = sqlc.arg(changed_at)
WHERE id = sqlc.arg(id);
