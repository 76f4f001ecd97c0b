-- Foundation: roles, tenancy helpers, organizations, users, memberships,
-- sessions, sign-in attempts and the hash-chained audit log.
--
-- Tenancy: every tenant table carries org_id, has row-level security ENABLED
-- and FORCED, and a policy comparing org_id with the transaction's app.org_id
-- setting. A missing setting reads as NULL (or '' on a connection that set it
-- before), so NULLIF(...)::uuid never matches and the policy fails closed.
--
-- Roles: the migrating role owns everything. attest_app owns nothing, cannot
-- bypass RLS, and is what every request and job runs as (the pool switches to
-- it with SET ROLE). attest_sysread owns the one SECURITY DEFINER function that
-- lists ids across tenants for system jobs.

-- +goose Up
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'attest_app') THEN
        CREATE ROLE attest_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'attest_sysread') THEN
        CREATE ROLE attest_sysread NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
    IF NOT pg_has_role(current_user, 'attest_app', 'MEMBER') THEN
        EXECUTE format('GRANT attest_app TO %I', current_user);
    END IF;
END
$$;
-- +goose StatementEnd

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO attest_app, attest_sysread;

CREATE FUNCTION app_org_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.org_id', true), '')::uuid $$;

CREATE FUNCTION app_user_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;

-- +goose StatementBegin
CREATE FUNCTION refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd

CREATE TABLE organizations (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug             text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    settings         jsonb NOT NULL DEFAULT '{}',
    wrapped_data_key bytea,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email               text NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
    display_name        text NOT NULL DEFAULT '',
    password_hash       text,
    password_changed_at timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
    org_id     uuid NOT NULL REFERENCES organizations (id),
    user_id    uuid NOT NULL REFERENCES users (id),
    role       text NOT NULL CHECK (role IN ('owner', 'admin', 'auditor')),
    expires_at timestamptz,
    created_by uuid REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    PRIMARY KEY (org_id, user_id),
    CHECK (role = 'auditor' OR expires_at IS NULL)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

-- Sessions are read before an organization is known, so they sit outside
-- org RLS; the cookie carries a random id and the table stores its hash.
CREATE TABLE sessions (
    id_hash      bytea PRIMARY KEY CHECK (length(id_hash) = 32),
    user_id      uuid NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    ip           text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE login_attempts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email        text NOT NULL,
    ip           text NOT NULL,
    succeeded    boolean NOT NULL,
    attempted_at timestamptz NOT NULL
);
CREATE INDEX login_attempts_email_idx ON login_attempts (email, attempted_at);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, attempted_at);

CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id),
    seq         bigint NOT NULL CHECK (seq > 0),
    occurred_at timestamptz NOT NULL,
    actor_type  text NOT NULL CHECK (actor_type IN ('user', 'system')),
    actor_id    uuid,
    actor_label text NOT NULL,
    action      text NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
    target_type text NOT NULL DEFAULT '',
    target_id   text NOT NULL DEFAULT '',
    details     jsonb NOT NULL DEFAULT '{}',
    ip          text NOT NULL DEFAULT '',
    request_id  text NOT NULL DEFAULT '',
    prev_hash   bytea NOT NULL CHECK (length(prev_hash) = 32),
    hash        bytea NOT NULL CHECK (length(hash) = 32),
    UNIQUE (org_id, seq)
);
CREATE INDEX audit_log_org_time_idx ON audit_log (org_id, occurred_at DESC, seq DESC);
CREATE INDEX audit_log_org_action_idx ON audit_log (org_id, action, seq DESC);

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The head of each organization's chain; its row lock serializes appends.
CREATE TABLE audit_heads (
    org_id uuid PRIMARY KEY REFERENCES organizations (id),
    seq    bigint NOT NULL,
    hash   bytea NOT NULL CHECK (length(hash) = 32)
);

ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON organizations
    USING (id = app_org_id()
           OR EXISTS (SELECT 1 FROM memberships m
                      WHERE m.org_id = organizations.id AND m.user_id = app_user_id() AND m.revoked_at IS NULL))
    WITH CHECK (id = app_org_id());
CREATE POLICY sysread ON organizations FOR SELECT TO attest_sysread USING (true);

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON memberships
    USING (org_id = app_org_id() OR user_id = app_user_id())
    WITH CHECK (org_id = app_org_id());

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON audit_log
    USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());

ALTER TABLE audit_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_heads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON audit_heads
    USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());

GRANT SELECT, INSERT, UPDATE ON organizations, users, memberships, sessions, audit_heads TO attest_app;
GRANT SELECT, INSERT, DELETE ON login_attempts TO attest_app;
GRANT SELECT, INSERT ON audit_log TO attest_app;
GRANT SELECT ON organizations TO attest_sysread;

-- Only attest_sysread may own system_ids. Migrations that replace it call
-- sysread_enter() first and sysread_leave() after, so the migrating role is a
-- member of attest_sysread only while it does so: outside migrations no
-- connection can become the reader role.
-- +goose StatementBegin
CREATE PROCEDURE sysread_enter() LANGUAGE plpgsql AS $$
BEGIN
    IF NOT pg_has_role(current_user, 'attest_sysread', 'MEMBER') THEN
        EXECUTE format('GRANT attest_sysread TO %I', current_user);
    END IF;
    GRANT CREATE ON SCHEMA public TO attest_sysread;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE PROCEDURE sysread_leave() LANGUAGE plpgsql AS $$
BEGIN
    ALTER FUNCTION system_ids(text, timestamptz, uuid, integer) OWNER TO attest_sysread;
    REVOKE CREATE ON SCHEMA public FROM attest_sysread;
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('REVOKE attest_sysread FROM %I', current_user);
    END IF;
END
$$;
-- +goose StatementEnd

-- The one door across tenants: ids only, for system jobs. p_at is the
-- caller's "now" (the application's clock, so tests can move time). Later
-- migrations replace it as more kinds of ids are needed; nothing else reads
-- across organizations.
CALL sysread_enter();
-- +goose StatementBegin
CREATE FUNCTION system_ids(p_kind text, p_at timestamptz, p_after uuid, p_limit integer)
    RETURNS TABLE (org_id uuid, id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF p_kind = 'organization' THEN
        RETURN QUERY SELECT o.id, o.id FROM organizations o
            WHERE p_after IS NULL OR o.id > p_after ORDER BY o.id LIMIT p_limit;
    ELSE
        RAISE EXCEPTION 'system_ids: unknown kind %', p_kind USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;
-- +goose StatementEnd
CALL sysread_leave();
REVOKE ALL ON FUNCTION system_ids(text, timestamptz, uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION system_ids(text, timestamptz, uuid, integer) TO attest_app;

-- +goose Down
-- Migrations only move forward; restore from a backup to go back.
SELECT 1;
