-- Assessments freeze a set of evidence for an audit period; auditors are
-- invited with single-use links and may be limited to one assessment.

-- +goose Up
CREATE TABLE assessments (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id        uuid NOT NULL REFERENCES organizations (id),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    framework     text NOT NULL CHECK (framework = 'soc2'),
    -- The period's first and last day, inclusive (UTC).
    period_start  date NOT NULL,
    period_end    date NOT NULL,
    -- Optional categories in scope besides Security (A, C, PI, P).
    categories    text[] NOT NULL DEFAULT '{}',
    status        text NOT NULL CHECK (status IN ('draft', 'review', 'approved')),
    created_at    timestamptz NOT NULL,
    created_by    uuid REFERENCES users (id),
    submitted_at  timestamptz,
    submitted_by  uuid REFERENCES users (id),
    approved_at   timestamptz,
    approved_by   uuid REFERENCES users (id),
    -- SHA-256 over the attached evidence's fingerprints, sorted bytewise and
    -- concatenated; set at approval.
    root_hash     bytea CHECK (length(root_hash) = 32),
    evidence_count integer,
    -- Coverage as computed at approval: counts and each control's state.
    coverage      jsonb,
    CHECK (period_end >= period_start),
    CHECK ((status = 'approved') = (approved_at IS NOT NULL AND root_hash IS NOT NULL AND coverage IS NOT NULL))
);
CREATE INDEX assessments_org_idx ON assessments (org_id, created_at DESC);

-- The evidence attached to an assessment: found in its period, or added by
-- hand while it is a draft. A draft's removals are kept (included = false)
-- so refreshing from the period does not bring them back.
CREATE TABLE assessment_evidence (
    org_id        uuid NOT NULL REFERENCES organizations (id),
    assessment_id uuid NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    evidence_id   bigint NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
    source        text NOT NULL CHECK (source IN ('period', 'manual')),
    included      boolean NOT NULL DEFAULT true,
    added_at      timestamptz NOT NULL,
    PRIMARY KEY (assessment_id, evidence_id)
);
CREATE INDEX assessment_evidence_evidence_idx ON assessment_evidence (evidence_id);

-- The freeze. These triggers run as the caller, so row-level security shows
-- them exactly the rows the caller could touch: the evidence's own
-- organization (or everything, for a role that bypasses RLS).
-- +goose StatementBegin
CREATE FUNCTION assessment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'approved' THEN
        RAISE EXCEPTION 'assessment % is approved and frozen: % refused', OLD.id, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE FUNCTION assessment_evidence_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    st text;
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.assessment_id, NEW.evidence_id, NEW.org_id, NEW.source, NEW.added_at)
                            IS DISTINCT FROM (OLD.assessment_id, OLD.evidence_id, OLD.org_id, OLD.source, OLD.added_at) THEN
        RAISE EXCEPTION 'assessment_evidence: only inclusion may change' USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT status INTO st FROM assessments WHERE id = CASE TG_OP WHEN 'INSERT' THEN NEW.assessment_id ELSE OLD.assessment_id END;
    IF TG_OP = 'INSERT' THEN
        IF st IS DISTINCT FROM 'draft' THEN
            RAISE EXCEPTION 'assessment_evidence: evidence is attached only to a draft' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NOT EXISTS (SELECT 1 FROM evidence e WHERE e.id = NEW.evidence_id AND e.org_id = NEW.org_id) THEN
            RAISE EXCEPTION 'assessment_evidence: evidence % is not the organization''s', NEW.evidence_id
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF st = 'approved' THEN
        RAISE EXCEPTION 'assessment_evidence: the assessment is approved and frozen: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE FUNCTION evidence_frozen_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM assessment_evidence ae JOIN assessments a ON a.id = ae.assessment_id
               WHERE ae.evidence_id = OLD.id AND ae.included AND a.status = 'approved') THEN
        RAISE EXCEPTION 'evidence % is frozen in an approved assessment: DELETE refused', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER assessments_frozen BEFORE UPDATE OR DELETE ON assessments
    FOR EACH ROW EXECUTE FUNCTION assessment_guard();
CREATE TRIGGER assessment_evidence_frozen BEFORE INSERT OR UPDATE OR DELETE ON assessment_evidence
    FOR EACH ROW EXECUTE FUNCTION assessment_evidence_guard();
CREATE TRIGGER assessment_evidence_no_truncate BEFORE TRUNCATE ON assessment_evidence
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER evidence_frozen BEFORE DELETE ON evidence
    FOR EACH ROW EXECUTE FUNCTION evidence_frozen_guard();
CREATE TRIGGER evidence_no_truncate BEFORE TRUNCATE ON evidence
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- An auditor may be limited to one assessment.
ALTER TABLE memberships
    ADD COLUMN assessment_id uuid REFERENCES assessments (id),
    ADD CONSTRAINT memberships_assessment_auditor CHECK (role = 'auditor' OR assessment_id IS NULL);

-- Invitations: a single-use link (only its SHA-256 is stored) with which an
-- invited auditor sets a password and joins.
CREATE TABLE invitations (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id          uuid NOT NULL REFERENCES organizations (id),
    email           text NOT NULL,
    role            text NOT NULL CHECK (role = 'auditor'),
    assessment_id   uuid REFERENCES assessments (id),
    -- When the auditor's access ends.
    access_expires_at timestamptz NOT NULL,
    token_hash      bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    -- When the link stops working.
    link_expires_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    created_by      uuid REFERENCES users (id),
    accepted_at     timestamptz,
    accepted_by     uuid REFERENCES users (id),
    revoked_at      timestamptz
);
CREATE INDEX invitations_org_idx ON invitations (org_id, created_at DESC);

ALTER TABLE assessments ENABLE ROW LEVEL SECURITY;
ALTER TABLE assessments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON assessments USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
ALTER TABLE assessment_evidence ENABLE ROW LEVEL SECURITY;
ALTER TABLE assessment_evidence FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON assessment_evidence USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON invitations USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());

GRANT SELECT, INSERT, UPDATE, DELETE ON assessments, assessment_evidence TO attest_app;
GRANT SELECT, INSERT, UPDATE ON invitations TO attest_app;
GRANT DELETE ON evidence, evidence_current, evidence_superseded TO attest_app;

-- +goose Down
SELECT 1;
