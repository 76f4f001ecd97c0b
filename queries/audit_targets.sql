-- name: AuditTargetNames :many
-- The names of the audit log's targets on one page: connections,
-- assessments and documents by their names, users (members of the
-- organization, past or present) by email.
SELECT 'connection'::text AS target_type, c.id::text AS target_id, c.display_name AS name
FROM connections c WHERE c.id = ANY (sqlc.arg(connection_ids)::uuid[])
UNION ALL
SELECT 'assessment', a.id::text, a.name FROM assessments a WHERE a.id = ANY (sqlc.arg(assessment_ids)::uuid[])
UNION ALL
SELECT 'document', d.id::text, d.title FROM documents d WHERE d.id = ANY (sqlc.arg(document_ids)::uuid[])
UNION ALL
SELECT DISTINCT 'user', u.id::text, u.email FROM users u JOIN memberships m ON m.user_id = u.id
WHERE u.id = ANY (sqlc.arg(user_ids)::uuid[]);
