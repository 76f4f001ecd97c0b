-- Invitations (of auditors, admins and owners) and the memberships they
-- grant. Every query runs under the organization's row-level security
-- (db.InOrg).

-- name: InvitationCreate :one
INSERT INTO invitations (org_id, email, role, assessment_id, access_expires_at, token_hash, link_expires_at, created_at, created_by)
VALUES (sqlc.arg(org_id), sqlc.arg(email), sqlc.arg(role), sqlc.narg(assessment_id), sqlc.narg(access_expires_at),
        sqlc.arg(token_hash), sqlc.arg(link_expires_at), sqlc.arg(created_at), sqlc.arg(created_by))
RETURNING *;

-- name: InvitationGetByToken :one
-- Locks the invitation so two acceptances of one link cannot both succeed.
SELECT * FROM invitations WHERE token_hash = sqlc.arg(token_hash) FOR UPDATE;

-- name: InvitationListPending :many
-- Invitations to one of roles not yet accepted or revoked whose link still
-- works, newest first.
SELECT * FROM invitations
WHERE accepted_at IS NULL AND revoked_at IS NULL AND link_expires_at > sqlc.arg(now)
  AND role = ANY (sqlc.arg(roles)::text[])
ORDER BY created_at DESC;

-- name: InvitationRevokePendingForEmail :many
-- Withdraws the email's open invitations (a new one replaces them).
UPDATE invitations SET revoked_at = sqlc.arg(now)
WHERE email = sqlc.arg(email) AND accepted_at IS NULL AND revoked_at IS NULL
RETURNING id;

-- name: InvitationRevoke :one
UPDATE invitations SET revoked_at = sqlc.arg(now)
WHERE id = sqlc.arg(id) AND accepted_at IS NULL AND revoked_at IS NULL
RETURNING *;

-- name: InvitationMarkAccepted :execrows
UPDATE invitations SET accepted_at = sqlc.arg(now), accepted_by = sqlc.arg(user_id)
WHERE id = sqlc.arg(id) AND accepted_at IS NULL AND revoked_at IS NULL;

-- name: InvitationMemberRole :one
-- The live role (if any) the email already holds in the organization.
SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id
WHERE m.org_id = sqlc.arg(org_id) AND u.email = sqlc.arg(email) AND m.revoked_at IS NULL;

-- name: InvitationAssessmentOptions :many
-- The assessments an auditor may be limited to, newest first.
SELECT id, name FROM assessments ORDER BY created_at DESC;

-- name: InvitationAssessmentName :one
SELECT name FROM assessments WHERE id = sqlc.arg(id);

-- name: AuditorGrant :one
-- Creates or renews an auditor membership. An owner or admin is never
-- turned into an auditor: then no row is returned.
INSERT INTO memberships (org_id, user_id, role, expires_at, assessment_id, created_by, created_at)
VALUES (sqlc.arg(org_id), sqlc.arg(user_id), 'auditor', sqlc.arg(expires_at), sqlc.narg(assessment_id), sqlc.narg(created_by), sqlc.arg(created_at))
ON CONFLICT (org_id, user_id) DO UPDATE
SET role = 'auditor', expires_at = excluded.expires_at, assessment_id = excluded.assessment_id, revoked_at = NULL
WHERE memberships.role = 'auditor' OR memberships.revoked_at IS NOT NULL
RETURNING *;

-- name: MemberGrant :one
-- Creates or renews an owner or admin membership from an invitation: a new
-- member, a removed one coming back, or an auditor joining the team. A live
-- owner or admin is left as they are (their role changes on the members
-- page): then no row is returned.
INSERT INTO memberships (org_id, user_id, role, created_by, created_at)
VALUES (sqlc.arg(org_id), sqlc.arg(user_id), sqlc.arg(role), sqlc.narg(created_by), sqlc.arg(created_at))
ON CONFLICT (org_id, user_id) DO UPDATE
SET role = excluded.role, expires_at = NULL, assessment_id = NULL, revoked_at = NULL,
    created_by = excluded.created_by, created_at = excluded.created_at
WHERE memberships.role = 'auditor' OR memberships.revoked_at IS NOT NULL
RETURNING *;

-- name: AuditorRevoke :one
UPDATE memberships SET revoked_at = sqlc.arg(now)
WHERE org_id = sqlc.arg(org_id) AND user_id = sqlc.arg(user_id) AND role = 'auditor' AND revoked_at IS NULL
RETURNING *;

-- name: AuditorList :many
-- The organization's auditors (expired ones included), with the assessment
-- each is limited to and their last sign-in to this organization.
SELECT u.id AS user_id, u.email, m.expires_at, m.assessment_id, a.name AS assessment_name, m.created_at,
       l.occurred_at AS last_sign_in
FROM memberships m
JOIN users u ON u.id = m.user_id
LEFT JOIN assessments a ON a.id = m.assessment_id
LEFT JOIN audit_log l ON l.org_id = m.org_id AND l.seq = (
    SELECT max(x.seq) FROM audit_log x
    WHERE x.org_id = m.org_id AND x.action = 'auth.login' AND x.target_id = u.id::text)
WHERE m.org_id = sqlc.arg(org_id) AND m.role = 'auditor' AND m.revoked_at IS NULL
ORDER BY u.email;
