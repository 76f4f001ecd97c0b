-- name: DocumentCreate :one
INSERT INTO documents (org_id, title, description, owner_user_id, review_cadence, next_review_on, period_start, period_end,
                       created_at, created_by, updated_at)
VALUES (sqlc.arg(org_id), sqlc.arg(title), sqlc.arg(description), sqlc.arg(owner_user_id), sqlc.arg(review_cadence),
        sqlc.arg(next_review_on), sqlc.narg(period_start), sqlc.narg(period_end), sqlc.arg(now), sqlc.narg(created_by), sqlc.arg(now))
RETURNING *;

-- name: DocumentGet :one
SELECT d.*, u.email AS owner_email, u.display_name AS owner_name
FROM documents d JOIN users u ON u.id = d.owner_user_id
WHERE d.id = sqlc.arg(id) AND d.deleted_at IS NULL;

-- name: DocumentGetForUpdate :one
SELECT * FROM documents WHERE id = sqlc.arg(id) AND deleted_at IS NULL FOR UPDATE;

-- name: DocumentList :many
-- Every live document with its owner, criteria and newest revision, by
-- review date (the most urgent first). ids, when not NULL, keeps only those.
SELECT d.*, u.email AS owner_email,
       coalesce((SELECT array_agg(dc.criterion ORDER BY dc.criterion) FROM document_criteria dc WHERE dc.document_id = d.id),
                '{}')::text[] AS criteria,
       lr.number AS latest_number, lr.created_at AS latest_at
FROM documents d
JOIN users u ON u.id = d.owner_user_id
JOIN LATERAL (SELECT r.number, r.created_at FROM document_revisions r
              WHERE r.document_id = d.id ORDER BY r.number DESC LIMIT 1) lr ON true
WHERE d.deleted_at IS NULL
  AND (sqlc.narg(ids)::uuid[] IS NULL OR d.id = ANY (sqlc.narg(ids)::uuid[]))
ORDER BY d.next_review_on, d.title, d.id;

-- name: DocumentSetNextReview :exec
UPDATE documents SET next_review_on = sqlc.arg(next_review_on), updated_at = sqlc.arg(now)
WHERE id = sqlc.arg(id);

-- name: DocumentRevisionNextNumber :one
SELECT (coalesce(max(number), 0) + 1)::integer FROM document_revisions WHERE document_id = sqlc.arg(document_id);

-- name: DocumentRevisionCreate :one
INSERT INTO document_revisions (id, org_id, document_id, number, evidence_id, sha256, size_bytes, content_type, file_name,
                                external_url, storage, storage_key, observed_on, created_by, created_at)
VALUES (sqlc.arg(id), sqlc.arg(org_id), sqlc.arg(document_id), sqlc.arg(number), sqlc.arg(evidence_id), sqlc.narg(sha256),
        sqlc.narg(size_bytes), sqlc.narg(content_type), sqlc.narg(file_name), sqlc.narg(external_url), sqlc.arg(storage),
        sqlc.arg(storage_key), sqlc.arg(observed_on), sqlc.narg(created_by), sqlc.arg(created_at))
RETURNING *;

-- name: DocumentRevisions :many
SELECT r.*, e.fingerprint, u.email AS created_by_email
FROM document_revisions r
JOIN evidence e ON e.id = r.evidence_id
LEFT JOIN users u ON u.id = r.created_by
WHERE r.document_id = sqlc.arg(document_id)
ORDER BY r.number DESC;

-- name: DocumentRevisionGet :one
SELECT * FROM document_revisions WHERE id = sqlc.arg(id) AND document_id = sqlc.arg(document_id);

-- name: DocumentEvidenceInsert :one
-- A revision's evidence row: its source is the document (see
-- 00015_documents.sql) and its run the revision.
INSERT INTO evidence (org_id, connection_id, kind, schema_version, subject_key, subject_label, payload, fingerprint,
                      observed_at, collected_at, first_run_id)
VALUES (sqlc.arg(org_id), sqlc.arg(document_id), 'document.revision', sqlc.arg(schema_version), sqlc.arg(subject_key),
        sqlc.arg(subject_label), sqlc.arg(payload), sqlc.arg(fingerprint), sqlc.arg(observed_at), sqlc.arg(collected_at),
        sqlc.arg(revision_id))
RETURNING id;

-- name: DocumentEvidenceSupersede :exec
-- The document's previous revision leaves the current state.
INSERT INTO evidence_superseded (org_id, evidence_id, connection_id, kind, subject_key, from_run_id, to_run_id, reason, at)
SELECT c.org_id, c.evidence_id, c.connection_id, c.kind, c.subject_key, c.since_run_id, sqlc.arg(revision_id), 'changed', sqlc.arg(at)
FROM evidence_current c
WHERE c.connection_id = sqlc.arg(document_id) AND c.kind = 'document.revision' AND c.subject_key = sqlc.arg(subject_key);

-- name: DocumentEvidenceCurrent :exec
INSERT INTO evidence_current (org_id, connection_id, kind, subject_key, evidence_id, fingerprint, since_run_id)
VALUES (sqlc.arg(org_id), sqlc.arg(document_id), 'document.revision', sqlc.arg(subject_key), sqlc.arg(evidence_id),
        sqlc.arg(fingerprint), sqlc.arg(revision_id))
ON CONFLICT (connection_id, kind, subject_key) DO UPDATE
SET evidence_id = excluded.evidence_id, fingerprint = excluded.fingerprint, since_run_id = excluded.since_run_id;

-- name: DocumentCriteria :many
SELECT criterion FROM document_criteria WHERE document_id = sqlc.arg(document_id) ORDER BY criterion;

-- name: DocumentLink :execrows
INSERT INTO document_criteria (org_id, document_id, criterion, created_at, created_by)
VALUES (sqlc.arg(org_id), sqlc.arg(document_id), sqlc.arg(criterion), sqlc.arg(now), sqlc.narg(created_by))
ON CONFLICT (document_id, criterion) DO NOTHING;

-- name: DocumentUnlink :execrows
DELETE FROM document_criteria WHERE document_id = sqlc.arg(document_id) AND criterion = sqlc.arg(criterion);

-- name: DocumentOwnerCandidates :many
-- The members who may own a document: the organization's owners and admins.
SELECT u.id, u.email, u.display_name
FROM memberships m JOIN users u ON u.id = m.user_id
WHERE m.org_id = sqlc.arg(org_id) AND m.role IN ('owner', 'admin') AND m.revoked_at IS NULL
ORDER BY u.email;

-- name: DocumentCoverage :many
-- Each live document supporting one of the criteria, with its newest
-- revision (a document is created with its first): the documents' part of
-- the coverage input.
SELECT d.id, d.title, d.next_review_on,
       array_agg(dc.criterion ORDER BY dc.criterion)::text[] AS criteria,
       lr.created_at AS latest_revision_at
FROM documents d
JOIN document_criteria dc ON dc.document_id = d.id
JOIN LATERAL (SELECT r.created_at FROM document_revisions r
              WHERE r.document_id = d.id ORDER BY r.number DESC LIMIT 1) lr ON true
WHERE d.deleted_at IS NULL AND dc.criterion = ANY (sqlc.arg(criteria)::text[])
GROUP BY d.id, lr.created_at
ORDER BY d.title, d.id;

-- name: DocumentAssessmentFiles :many
-- The file revisions an assessment includes, for its ZIP.
SELECT r.*, d.title
FROM assessment_evidence ae
JOIN document_revisions r ON r.evidence_id = ae.evidence_id
JOIN documents d ON d.id = r.document_id
WHERE ae.assessment_id = sqlc.arg(assessment_id) AND ae.included AND r.storage <> 'link'
ORDER BY r.document_id, r.number;

-- name: DocumentInAssessment :one
-- Whether any revision of the document is included in the assessment.
SELECT EXISTS (SELECT 1 FROM assessment_evidence ae JOIN document_revisions r ON r.evidence_id = ae.evidence_id
               WHERE ae.assessment_id = sqlc.arg(assessment_id) AND ae.included AND r.document_id = sqlc.arg(document_id));

-- name: DocumentsInAssessment :many
SELECT DISTINCT r.document_id FROM assessment_evidence ae JOIN document_revisions r ON r.evidence_id = ae.evidence_id
WHERE ae.assessment_id = sqlc.arg(assessment_id) AND ae.included;

-- name: DocumentAlertOpen :one
-- Opens an alert about a document, addressed to its owner, unless one of the
-- kind is already open.
INSERT INTO alerts (org_id, document_id, kind, title, message, opened_at, assignee_id)
VALUES (sqlc.arg(org_id), sqlc.arg(document_id), sqlc.arg(kind), sqlc.arg(title), sqlc.arg(message), sqlc.arg(opened_at),
        sqlc.arg(assignee_id))
ON CONFLICT (document_id, kind) WHERE resolved_at IS NULL DO NOTHING
RETURNING *;

-- name: DocumentAlertsOpen :many
SELECT * FROM alerts WHERE document_id = sqlc.arg(document_id) AND resolved_at IS NULL;

-- name: DocumentBlobPut :exec
INSERT INTO document_blobs (org_id, revision_id, seq, chunk)
VALUES (sqlc.arg(org_id), sqlc.arg(revision_id), sqlc.arg(seq), sqlc.arg(chunk));

-- name: DocumentRevisionInAssessment :one
SELECT EXISTS (SELECT 1 FROM assessment_evidence ae JOIN document_revisions r ON r.evidence_id = ae.evidence_id
               WHERE ae.assessment_id = sqlc.arg(assessment_id) AND ae.included AND r.id = sqlc.arg(revision_id));

-- name: DocumentLiveIDs :many
SELECT id FROM documents WHERE deleted_at IS NULL ORDER BY id;
