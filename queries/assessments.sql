-- name: AssessmentCreate :one
INSERT INTO assessments (org_id, name, framework, period_start, period_end, categories, status, created_at, created_by)
VALUES (sqlc.arg(org_id), sqlc.arg(name), 'soc2', sqlc.arg(period_start), sqlc.arg(period_end), sqlc.arg(categories)::text[],
        'draft', sqlc.arg(created_at), sqlc.arg(created_by))
RETURNING *;

-- name: AssessmentGet :one
SELECT * FROM assessments WHERE id = sqlc.arg(id);

-- name: AssessmentGetForUpdate :one
SELECT * FROM assessments WHERE id = sqlc.arg(id) FOR UPDATE;

-- name: AssessmentList :many
-- Every assessment, newest first, with its included evidence count.
SELECT a.*, (SELECT count(*) FROM assessment_evidence ae WHERE ae.assessment_id = a.id AND ae.included) AS attached
FROM assessments a
ORDER BY a.created_at DESC;

-- name: AssessmentDrafts :many
SELECT id, name FROM assessments WHERE status = 'draft' ORDER BY created_at DESC;

-- name: AssessmentAttachPeriod :execrows
-- Attaches the evidence of kinds that was true at some moment of the period:
-- stored before the period ended and not superseded before it began (by a
-- run, or for a document's revision by the next revision). Rows
-- already attached (or removed by hand) are left as they are.
INSERT INTO assessment_evidence (org_id, assessment_id, evidence_id, source, added_at)
SELECT e.org_id, sqlc.arg(assessment_id), e.id, 'period', sqlc.arg(now)
FROM evidence e
WHERE e.kind = ANY (sqlc.arg(kinds)::text[])
  AND e.collected_at < sqlc.arg(period_end_exclusive)
  AND NOT EXISTS (SELECT 1 FROM evidence_superseded s LEFT JOIN connector_runs r ON r.id = s.to_run_id
                  WHERE s.evidence_id = e.id AND coalesce(r.started_at, s.at) < sqlc.arg(period_start))
ON CONFLICT (assessment_id, evidence_id) DO NOTHING;

-- name: AssessmentAttachOne :execrows
-- Adds one record by hand, or includes it again after a removal.
INSERT INTO assessment_evidence (org_id, assessment_id, evidence_id, source, added_at)
SELECT e.org_id, sqlc.arg(assessment_id), e.id, 'manual', sqlc.arg(now)
FROM evidence e WHERE e.id = sqlc.arg(evidence_id)
ON CONFLICT (assessment_id, evidence_id) DO UPDATE SET included = true
WHERE NOT assessment_evidence.included;

-- name: AssessmentDetach :execrows
UPDATE assessment_evidence SET included = false
WHERE assessment_id = sqlc.arg(assessment_id) AND evidence_id = sqlc.arg(evidence_id) AND included;

-- name: AssessmentDropRemoved :exec
-- Before approval: removed records leave the set for good.
DELETE FROM assessment_evidence WHERE assessment_id = sqlc.arg(assessment_id) AND NOT included;

-- name: AssessmentRootHash :one
-- SHA-256 over the included records' fingerprints, sorted bytewise and
-- concatenated, and their count.
SELECT coalesce(sha256(string_agg(e.fingerprint, ''::bytea ORDER BY e.fingerprint)), sha256(''::bytea))::bytea AS root_hash,
       count(*)::integer AS records
FROM assessment_evidence ae JOIN evidence e ON e.id = ae.evidence_id
WHERE ae.assessment_id = sqlc.arg(assessment_id) AND ae.included;

-- name: AssessmentSetStatus :one
UPDATE assessments
SET status = sqlc.arg(status),
    submitted_at = CASE WHEN sqlc.arg(status) = 'review' THEN sqlc.arg(now)::timestamptz ELSE submitted_at END,
    submitted_by = CASE WHEN sqlc.arg(status) = 'review' THEN sqlc.narg(user_id)::uuid ELSE submitted_by END
WHERE id = sqlc.arg(id)
RETURNING *;

-- name: AssessmentApprove :one
UPDATE assessments
SET status = 'approved', approved_at = sqlc.arg(now), approved_by = sqlc.narg(user_id),
    root_hash = sqlc.arg(root_hash), evidence_count = sqlc.arg(evidence_count), coverage = sqlc.arg(coverage)
WHERE id = sqlc.arg(id) AND status = 'review'
RETURNING *;

-- name: AssessmentDelete :execrows
DELETE FROM assessments WHERE id = sqlc.arg(id) AND status = 'draft';

-- name: AssessmentHolders :many
-- Who is limited to the assessment and would lose what they were granted if
-- it went: invitations whose link still works and auditors not revoked
-- (expired ones included: renewing them keeps the limit).
SELECT 'invitation'::text AS holder, i.email FROM invitations i
WHERE i.assessment_id = sqlc.arg(id)::uuid AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.link_expires_at > sqlc.arg(now)
UNION ALL
SELECT 'auditor'::text AS holder, u.email FROM memberships m JOIN users u ON u.id = m.user_id
WHERE m.assessment_id = sqlc.arg(id)::uuid AND m.revoked_at IS NULL
ORDER BY holder, email;

-- name: AssessmentReleaseInvitations :execrows
-- Unlinks the invitations that can no longer be used (accepted, revoked or
-- expired) from an assessment about to be deleted.
UPDATE invitations SET assessment_id = NULL
WHERE assessment_id = sqlc.arg(id)::uuid AND (accepted_at IS NOT NULL OR revoked_at IS NOT NULL OR link_expires_at <= sqlc.arg(now));

-- name: AssessmentReleaseMemberships :execrows
-- Unlinks revoked memberships from an assessment about to be deleted.
UPDATE memberships SET assessment_id = NULL
WHERE assessment_id = sqlc.arg(id)::uuid AND revoked_at IS NOT NULL;

-- name: AssessmentKindCounts :many
-- How many included records of each kind the assessment holds.
SELECT e.kind, count(*)::integer AS records
FROM assessment_evidence ae JOIN evidence e ON e.id = ae.evidence_id
WHERE ae.assessment_id = sqlc.arg(assessment_id) AND ae.included
GROUP BY e.kind ORDER BY e.kind;

-- name: AssessmentEvidencePage :many
-- The included records, newest first, keyset-paginated by evidence id.
SELECT e.id, e.kind, e.subject_label, e.fingerprint, e.observed_at, e.collected_at, ae.source,
       coalesce(c.display_name, 'Documents')::text AS connection_name
FROM assessment_evidence ae
JOIN evidence e ON e.id = ae.evidence_id
LEFT JOIN connections c ON c.id = e.connection_id
WHERE ae.assessment_id = sqlc.arg(assessment_id) AND ae.included
  AND (sqlc.arg(kind)::text = '' OR e.kind = sqlc.arg(kind)::text)
  AND (sqlc.narg(before_id)::bigint IS NULL OR e.id < sqlc.narg(before_id)::bigint)
ORDER BY e.id DESC
LIMIT sqlc.arg(max_rows);

-- name: AssessmentIncludes :one
SELECT EXISTS (SELECT 1 FROM assessment_evidence
               WHERE assessment_id = sqlc.arg(assessment_id) AND evidence_id = sqlc.arg(evidence_id) AND included);

-- name: AssessmentIncludedAmong :many
-- Which of the records are included in the assessment.
SELECT evidence_id FROM assessment_evidence
WHERE assessment_id = sqlc.arg(assessment_id) AND evidence_id = ANY(sqlc.arg(evidence_ids)::bigint[]) AND included;

-- name: AssessmentsHolding :many
-- The assessments a record is attached to. A caller limited to one
-- assessment passes it as only_assessment and sees no other.
SELECT a.id, a.name, a.status
FROM assessment_evidence ae JOIN assessments a ON a.id = ae.assessment_id
WHERE ae.evidence_id = sqlc.arg(evidence_id) AND ae.included
  AND (sqlc.narg(only_assessment)::uuid IS NULL OR a.id = sqlc.narg(only_assessment)::uuid)
ORDER BY a.created_at DESC;

-- name: AssessmentChecks :many
-- The check results evaluated during the period, for the export.
SELECT r.evaluated_at, c.display_name AS connection_name, r.check_key, r.status, r.reason,
       r.subjects_total, r.subjects_failing, r.subjects_excluded
FROM check_results r JOIN connections c ON c.id = r.connection_id
WHERE r.evaluated_at >= sqlc.arg(period_start) AND r.evaluated_at < sqlc.arg(period_end_exclusive)
ORDER BY r.evaluated_at, c.display_name, r.check_key;

-- name: AssessmentExclusions :many
-- The exclusions in force at some moment of the period, for the export.
SELECT x.*, c.display_name AS connection_name
FROM check_exclusions x JOIN connections c ON c.id = x.connection_id
WHERE x.created_at < sqlc.arg(period_end_exclusive)
  AND x.expires_at >= sqlc.arg(period_start)
  AND (x.revoked_at IS NULL OR x.revoked_at >= sqlc.arg(period_start))
ORDER BY x.created_at;
