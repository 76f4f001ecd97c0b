-- An organization's read version: a number that moves whenever something the
-- dashboard and the control pages are built from changes (check results,
-- connections, documents, scope, owners, exclusions, alerts, coverage
-- snapshots, members and the organization's settings).
-- Replicas cache what they read under it (internal/orgview) and read the
-- version with every page, so a change committed through any replica is
-- seen by every other on its next request.

-- +goose Up
CREATE TABLE org_versions (
    org_id  uuid PRIMARY KEY REFERENCES organizations (id),
    version bigint NOT NULL DEFAULT 1
);
INSERT INTO org_versions (org_id) SELECT id FROM organizations;

ALTER TABLE org_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE org_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON org_versions USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
GRANT SELECT, INSERT, UPDATE ON org_versions TO attest_app;

-- bump_org_version moves the version of the organization whose row changed
-- (TG_ARGV[0] names its column), once per transaction and organization. It
-- runs as a deferred constraint trigger, at commit: the version row is the
-- last lock the transaction takes, so two transactions of one organization
-- queue there and never deadlock, and a reader that sees the new version
-- sees everything the transaction wrote. The transaction's scope may have
-- moved on since the row was written, so the bump scopes itself to the row's
-- organization (as any transaction of the application may) and puts the
-- scope back.
-- +goose StatementBegin
CREATE FUNCTION bump_org_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    org   uuid;
    done  text;
    scope text;
BEGIN
    org := (to_jsonb(CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[0])::uuid;
    done := coalesce(current_setting('attest.bumped_orgs', true), '');
    IF position(org::text IN done) > 0 THEN
        RETURN NULL;
    END IF;
    scope := coalesce(current_setting('app.org_id', true), '');
    PERFORM set_config('app.org_id', org::text, true);
    INSERT INTO org_versions AS v (org_id) VALUES (org)
    ON CONFLICT (org_id) DO UPDATE SET version = v.version + 1;
    PERFORM set_config('app.org_id', scope, true);
    PERFORM set_config('attest.bumped_orgs', done || org::text || ' ', true);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- Members' names and emails are shown too, but never change (no statement
-- updates them); a migration that lets them change adds a trigger here.
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['alerts', 'check_current', 'check_exclusions', 'connections', 'coverage_snapshots',
                             'criterion_owners', 'criterion_scope', 'document_criteria', 'document_revisions',
                             'documents', 'memberships'] LOOP
        EXECUTE format('CREATE CONSTRAINT TRIGGER org_version AFTER INSERT OR UPDATE OR DELETE ON %I '
                       'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_org_version(''org_id'')', t);
    END LOOP;
END
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER org_version AFTER INSERT OR UPDATE ON organizations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_org_version('id');

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid WHERE g.tgname = 'org_version' LOOP
        EXECUTE format('DROP TRIGGER org_version ON %I', t);
    END LOOP;
END
$$;
-- +goose StatementEnd
DROP FUNCTION bump_org_version();
DROP TABLE org_versions;
