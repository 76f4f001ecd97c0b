-- Hourly sync: run history, append-only typed evidence with its current-state
-- projection, check results with their failing subjects, and exclusions.

-- +goose Up
ALTER TABLE connections
    ADD COLUMN next_sync_at         timestamptz,
    ADD COLUMN last_sync_at         timestamptz,
    ADD COLUMN last_success_at      timestamptz,
    ADD COLUMN last_run_id          uuid,
    ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0,
    ADD COLUMN inactive_days        integer NOT NULL DEFAULT 90 CHECK (inactive_days BETWEEN 7 AND 730);
CREATE INDEX connections_due_idx ON connections (next_sync_at) WHERE status = 'active' AND deleted_at IS NULL;

-- One row per sync attempt; append-only once finished.
CREATE TABLE connector_runs (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id        uuid NOT NULL REFERENCES organizations (id),
    connection_id uuid NOT NULL REFERENCES connections (id),
    trigger       text NOT NULL CHECK (trigger IN ('schedule', 'manual', 'first')),
    job_id        bigint,
    attempt       integer NOT NULL DEFAULT 1,
    status        text NOT NULL CHECK (status IN ('running', 'succeeded', 'partial', 'failed')),
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    -- Per dataset: status, counts (fetched, new, unchanged, removed), error.
    datasets      jsonb NOT NULL DEFAULT '{}',
    error_class   text NOT NULL DEFAULT '' CHECK (error_class IN ('', 'needs_reauth', 'configuration', 'licence', 'throttled', 'transient', 'malformed')),
    error_message text NOT NULL DEFAULT '',
    evidence_new  integer NOT NULL DEFAULT 0,
    requests      integer NOT NULL DEFAULT 0,
    throttled     integer NOT NULL DEFAULT 0,
    retries       integer NOT NULL DEFAULT 0,
    CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX connector_runs_connection_idx ON connector_runs (connection_id, started_at DESC);
CREATE INDEX connector_runs_org_idx ON connector_runs (org_id, started_at DESC);

-- +goose StatementBegin
CREATE FUNCTION connector_runs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.finished_at IS NOT NULL THEN
        RAISE EXCEPTION 'connector_runs: a finished run is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER connector_runs_append_only BEFORE UPDATE OR DELETE ON connector_runs
    FOR EACH ROW EXECUTE FUNCTION connector_runs_guard();

-- Typed evidence: unchanged data makes no new row (fingerprint unique per
-- connection); rows are never updated.
--
-- evidence and evidence_current are bulk-loaded tens of thousands of rows at
-- a time, and a foreign key costs a trigger call per row (a third of the
-- load time, measured), so their references are kept by the one statement
-- that writes them instead: connections are never deleted (revoking is a
-- soft delete), runs are written before their evidence, and the current
-- state points only at rows the same statement found or inserted.
CREATE TABLE evidence (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         uuid NOT NULL,
    connection_id  uuid NOT NULL,
    kind           text NOT NULL,
    schema_version integer NOT NULL,
    subject_key    text NOT NULL,
    subject_label  text NOT NULL,
    payload        jsonb NOT NULL,
    fingerprint    bytea NOT NULL CHECK (length(fingerprint) = 32),
    observed_at    timestamptz NOT NULL,
    collected_at   timestamptz NOT NULL,
    first_run_id   uuid NOT NULL,
    UNIQUE (connection_id, fingerprint)
);
CREATE INDEX evidence_org_kind_idx ON evidence (org_id, kind, collected_at DESC, id DESC);
CREATE INDEX evidence_org_collected_idx ON evidence (org_id, collected_at DESC, id DESC);
CREATE TRIGGER evidence_immutable BEFORE UPDATE ON evidence
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- What each source looks like now: rewritten by every successful dataset.
CREATE TABLE evidence_current (
    org_id        uuid NOT NULL,
    connection_id uuid NOT NULL,
    kind          text NOT NULL,
    subject_key   text NOT NULL,
    evidence_id   bigint NOT NULL,
    fingerprint   bytea NOT NULL,
    since_run_id  uuid NOT NULL,
    PRIMARY KEY (connection_id, kind, subject_key)
);

-- When a subject's current record was replaced or disappeared: with
-- evidence_current this tells which runs observed each record, and lists a
-- subject's versions without indexing every evidence row by subject.
CREATE TABLE evidence_superseded (
    org_id        uuid NOT NULL REFERENCES organizations (id),
    evidence_id   bigint NOT NULL REFERENCES evidence (id),
    connection_id uuid NOT NULL,
    kind          text NOT NULL,
    subject_key   text NOT NULL,
    from_run_id   uuid NOT NULL,
    to_run_id     uuid NOT NULL,
    reason        text NOT NULL CHECK (reason IN ('changed', 'removed')),
    at            timestamptz NOT NULL
);
CREATE INDEX evidence_superseded_evidence_idx ON evidence_superseded (evidence_id);
CREATE INDEX evidence_superseded_subject_idx ON evidence_superseded (connection_id, kind, subject_key);

-- Each check evaluated per sync: pass, fail or unknown.
CREATE TABLE check_results (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id            uuid NOT NULL REFERENCES organizations (id),
    connection_id     uuid NOT NULL REFERENCES connections (id),
    run_id            uuid NOT NULL REFERENCES connector_runs (id),
    check_key         text NOT NULL,
    status            text NOT NULL CHECK (status IN ('pass', 'fail', 'unknown')),
    reason            text NOT NULL DEFAULT '',
    subjects_total    integer NOT NULL DEFAULT 0,
    subjects_failing  integer NOT NULL DEFAULT 0,
    subjects_excluded integer NOT NULL DEFAULT 0,
    -- SHA-256 of the failing subjects as evaluated, so an unchanged set is
    -- not rewritten every hour.
    failing_digest    bytea,
    evaluated_at      timestamptz NOT NULL
);
CREATE INDEX check_results_latest_idx ON check_results (connection_id, check_key, evaluated_at DESC, id DESC);
CREATE INDEX check_results_org_idx ON check_results (org_id, evaluated_at DESC);

-- The subjects each check currently fails on (replaced by each evaluation).
CREATE TABLE check_failures (
    org_id        uuid NOT NULL REFERENCES organizations (id),
    connection_id uuid NOT NULL REFERENCES connections (id),
    check_key     text NOT NULL,
    subject_key   text NOT NULL,
    subject_label text NOT NULL,
    detail        text NOT NULL DEFAULT '',
    since         timestamptz NOT NULL,
    PRIMARY KEY (connection_id, check_key, subject_key)
);

-- A subject excused from a check (break-glass and service accounts).
CREATE TABLE check_exclusions (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id        uuid NOT NULL REFERENCES organizations (id),
    connection_id uuid NOT NULL REFERENCES connections (id),
    check_key     text NOT NULL,
    subject_key   text NOT NULL,
    subject_label text NOT NULL,
    reason        text NOT NULL CHECK (length(reason) BETWEEN 3 AND 500),
    expires_at    timestamptz NOT NULL,
    created_by    uuid NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    revoked_by    uuid REFERENCES users (id)
);
CREATE INDEX check_exclusions_lookup_idx ON check_exclusions (connection_id, check_key, subject_key);

ALTER TABLE connector_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE connector_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON connector_runs USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
ALTER TABLE evidence ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON evidence USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
ALTER TABLE evidence_current ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence_current FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON evidence_current USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
ALTER TABLE evidence_superseded ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence_superseded FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON evidence_superseded USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
ALTER TABLE check_results ENABLE ROW LEVEL SECURITY;
ALTER TABLE check_results FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON check_results USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
ALTER TABLE check_failures ENABLE ROW LEVEL SECURITY;
ALTER TABLE check_failures FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON check_failures USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
ALTER TABLE check_exclusions ENABLE ROW LEVEL SECURITY;
ALTER TABLE check_exclusions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON check_exclusions USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());

GRANT SELECT, INSERT, UPDATE ON connector_runs TO attest_app;
GRANT SELECT, INSERT, DELETE ON evidence TO attest_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON evidence_current, check_failures TO attest_app;
GRANT SELECT, INSERT ON evidence_superseded, check_results TO attest_app;
GRANT SELECT, INSERT, UPDATE ON check_exclusions TO attest_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO attest_app;

-- system_ids learns the connections due for a sync at p_at.
CALL sysread_enter();
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION system_ids(p_kind text, p_at timestamptz, p_after uuid, p_limit integer)
    RETURNS TABLE (org_id uuid, id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF p_kind = 'organization' THEN
        RETURN QUERY SELECT o.id, o.id FROM organizations o
            WHERE p_after IS NULL OR o.id > p_after ORDER BY o.id LIMIT p_limit;
    ELSIF p_kind = 'due_connection' THEN
        RETURN QUERY SELECT c.org_id, c.id FROM connections c
            WHERE c.status = 'active' AND c.deleted_at IS NULL
              AND (c.next_sync_at IS NULL OR c.next_sync_at <= p_at)
              AND (p_after IS NULL OR c.id > p_after)
            ORDER BY c.id LIMIT p_limit;
    ELSIF p_kind = 'live_connection' THEN
        RETURN QUERY SELECT c.org_id, c.id FROM connections c
            WHERE c.deleted_at IS NULL AND (p_after IS NULL OR c.id > p_after)
            ORDER BY c.id LIMIT p_limit;
    ELSE
        RAISE EXCEPTION 'system_ids: unknown kind %', p_kind USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;
-- +goose StatementEnd
CALL sysread_leave();

-- +goose Down
SELECT 1;
