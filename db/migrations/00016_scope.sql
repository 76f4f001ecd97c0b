-- Scope and control owners: the statement of applicability (criteria marked
-- not applicable, each with a written justification), each criterion's
-- owner, and the scope an assessment was approved with.

-- +goose Up
-- A criterion is in scope unless it has a row here. Marking it applicable
-- again deletes the row; the audit log keeps every change.
CREATE TABLE criterion_scope (
    org_id        uuid NOT NULL REFERENCES organizations (id),
    criterion     text NOT NULL CHECK (criterion ~ '^(CC|A|C|PI|P)[0-9]+\.[0-9]+$'),
    justification text NOT NULL CHECK (length(btrim(justification)) BETWEEN 10 AND 2000),
    marked_by     uuid NOT NULL REFERENCES users (id),
    marked_at     timestamptz NOT NULL,
    PRIMARY KEY (org_id, criterion)
);

-- The member who answers for a criterion. The foreign key to memberships
-- keeps an owner a member of the same organization.
CREATE TABLE criterion_owners (
    org_id    uuid NOT NULL REFERENCES organizations (id),
    criterion text NOT NULL CHECK (criterion ~ '^(CC|A|C|PI|P)[0-9]+\.[0-9]+$'),
    user_id   uuid NOT NULL,
    set_by    uuid NOT NULL REFERENCES users (id),
    set_at    timestamptz NOT NULL,
    PRIMARY KEY (org_id, criterion),
    FOREIGN KEY (org_id, user_id) REFERENCES memberships (org_id, user_id)
);
CREATE INDEX criterion_owners_user_idx ON criterion_owners (org_id, user_id);

-- The criteria an assessment's scope held not applicable when it was
-- approved, copied in the approval transaction and frozen with it.
CREATE TABLE assessment_scope (
    org_id        uuid NOT NULL REFERENCES organizations (id),
    assessment_id uuid NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    criterion     text NOT NULL,
    justification text NOT NULL,
    marked_by     uuid NOT NULL REFERENCES users (id),
    marked_at     timestamptz NOT NULL,
    PRIMARY KEY (assessment_id, criterion)
);

-- Rows are written only while the assessment is not approved (the approval
-- transaction writes them before it sets the status) and never changed.
-- +goose StatementBegin
CREATE FUNCTION assessment_scope_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    st text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'assessment_scope: a recorded scope is not changed' USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT status INTO st FROM assessments WHERE id = CASE TG_OP WHEN 'INSERT' THEN NEW.assessment_id ELSE OLD.assessment_id END;
    IF st = 'approved' THEN
        RAISE EXCEPTION 'assessment_scope: the assessment is approved and frozen: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER assessment_scope_frozen BEFORE INSERT OR UPDATE OR DELETE ON assessment_scope
    FOR EACH ROW EXECUTE FUNCTION assessment_scope_guard();
CREATE TRIGGER assessment_scope_no_truncate BEFORE TRUNCATE ON assessment_scope
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

ALTER TABLE criterion_scope ENABLE ROW LEVEL SECURITY;
ALTER TABLE criterion_scope FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON criterion_scope USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
ALTER TABLE criterion_owners ENABLE ROW LEVEL SECURITY;
ALTER TABLE criterion_owners FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON criterion_owners USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
ALTER TABLE assessment_scope ENABLE ROW LEVEL SECURITY;
ALTER TABLE assessment_scope FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON assessment_scope USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());

GRANT SELECT, INSERT, UPDATE, DELETE ON criterion_scope, criterion_owners TO attest_app;
GRANT SELECT, INSERT, DELETE ON assessment_scope TO attest_app;

-- +goose Down
SELECT 1;
