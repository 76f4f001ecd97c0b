-- name: ScopeNotApplicableList :many
-- The organization's statement of applicability: every criterion marked not
-- applicable, with who marked it.
SELECT s.criterion, s.justification, s.marked_at, s.marked_by, u.email AS marked_by_email
FROM criterion_scope s JOIN users u ON u.id = s.marked_by
ORDER BY s.criterion;

-- name: ScopeMarkNotApplicable :exec
INSERT INTO criterion_scope (org_id, criterion, justification, marked_by, marked_at)
VALUES (sqlc.arg(org_id), sqlc.arg(criterion), sqlc.arg(justification), sqlc.arg(marked_by), sqlc.arg(marked_at))
ON CONFLICT (org_id, criterion) DO UPDATE
SET justification = excluded.justification, marked_by = excluded.marked_by, marked_at = excluded.marked_at;

-- name: ScopeMarkApplicable :execrows
DELETE FROM criterion_scope WHERE criterion = sqlc.arg(criterion);

-- name: CriterionOwnerList :many
SELECT o.criterion, o.user_id, u.email, u.display_name
FROM criterion_owners o JOIN users u ON u.id = o.user_id
ORDER BY o.criterion;

-- name: CriterionOwnerSet :exec
INSERT INTO criterion_owners (org_id, criterion, user_id, set_by, set_at)
VALUES (sqlc.arg(org_id), sqlc.arg(criterion), sqlc.arg(user_id), sqlc.arg(set_by), sqlc.arg(set_at))
ON CONFLICT (org_id, criterion) DO UPDATE
SET user_id = excluded.user_id, set_by = excluded.set_by, set_at = excluded.set_at;

-- name: CriterionOwnerClear :execrows
DELETE FROM criterion_owners WHERE criterion = sqlc.arg(criterion);

-- name: CriterionOwnerCandidates :many
-- The members who may own a criterion: the organization's live owners and
-- admins (auditors are read-only outsiders).
SELECT u.id, u.email, u.display_name
FROM memberships m JOIN users u ON u.id = m.user_id
WHERE m.org_id = sqlc.arg(org_id) AND m.revoked_at IS NULL AND m.role IN ('owner', 'admin')
ORDER BY u.email;

-- name: AssessmentScopeRecord :execrows
-- At approval: the criteria of the assessment's scope marked not applicable
-- at this moment.
INSERT INTO assessment_scope (org_id, assessment_id, criterion, justification, marked_by, marked_at)
SELECT s.org_id, sqlc.arg(assessment_id), s.criterion, s.justification, s.marked_by, s.marked_at
FROM criterion_scope s
WHERE s.criterion = ANY (sqlc.arg(criteria)::text[]);

-- name: AssessmentScopeList :many
SELECT s.criterion, s.justification, s.marked_at, s.marked_by, u.email AS marked_by_email
FROM assessment_scope s JOIN users u ON u.id = s.marked_by
WHERE s.assessment_id = sqlc.arg(assessment_id)
ORDER BY s.criterion;
