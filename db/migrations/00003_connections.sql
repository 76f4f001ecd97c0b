-- Connections to a customer's systems (first: Microsoft Entra ID tenants) and
-- the short-lived OAuth authorization flows that create and renew them.
--
-- Credentials are stored only sealed (AES-256-GCM under the organization's
-- data key); revoking clears them and sets deleted_at, keeping the row and
-- its history.

-- +goose Up
CREATE TABLE connections (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id               uuid NOT NULL REFERENCES organizations (id),
    connector            text NOT NULL CHECK (connector ~ '^[a-z][a-z0-9_]*$'),
    display_name         text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    -- The connector's non-secret settings (cloud, tenant, client id, endpoints).
    settings             jsonb NOT NULL,
    -- A key unique per organization and connector among live connections
    -- (for Entra: tenant and client id), so a tenant is connected once.
    identity_key         text NOT NULL,
    status               text NOT NULL CHECK (status IN ('pending', 'active', 'needs_reauth', 'revoked')),
    status_reason        text NOT NULL DEFAULT '',
    client_secret_sealed bytea,
    refresh_token_sealed bytea,
    granted_scopes       text[] NOT NULL DEFAULT '{}',
    consented_by         text NOT NULL DEFAULT '',
    created_at           timestamptz NOT NULL,
    created_by           uuid REFERENCES users (id),
    connected_at         timestamptz,
    token_rotated_at     timestamptz,
    deleted_at           timestamptz,
    deleted_by           uuid REFERENCES users (id),
    CHECK ((status = 'revoked') = (deleted_at IS NOT NULL)),
    CHECK (deleted_at IS NULL OR (client_secret_sealed IS NULL AND refresh_token_sealed IS NULL))
);
CREATE UNIQUE INDEX connections_live_identity_idx ON connections (org_id, connector, identity_key) WHERE deleted_at IS NULL;
CREATE INDEX connections_org_idx ON connections (org_id, connector, created_at);

CREATE TABLE oauth_flows (
    state_hash      bytea PRIMARY KEY CHECK (length(state_hash) = 32),
    org_id          uuid NOT NULL REFERENCES organizations (id),
    connection_id   uuid NOT NULL REFERENCES connections (id),
    user_id         uuid NOT NULL REFERENCES users (id),
    session_hash    bytea NOT NULL CHECK (length(session_hash) = 32),
    purpose         text NOT NULL CHECK (purpose IN ('connect', 'reauth', 'admin_consent')),
    verifier_sealed bytea,
    redirect_uri    text NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz
);
CREATE INDEX audit_log_target_idx ON audit_log (org_id, target_type, target_id, seq DESC);
CREATE INDEX oauth_flows_connection_idx ON oauth_flows (org_id, connection_id);

ALTER TABLE connections ENABLE ROW LEVEL SECURITY;
ALTER TABLE connections FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON connections USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
CREATE POLICY sysread ON connections FOR SELECT TO attest_sysread USING (true);

ALTER TABLE oauth_flows ENABLE ROW LEVEL SECURITY;
ALTER TABLE oauth_flows FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON oauth_flows USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());

GRANT SELECT, INSERT, UPDATE ON connections TO attest_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON oauth_flows TO attest_app;
GRANT SELECT ON connections TO attest_sysread;

-- +goose Down
SELECT 1;
