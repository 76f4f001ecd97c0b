-- Coverage: each check's current result, alerts and their webhook
-- deliveries, daily coverage snapshots, and a per-connection stale
-- threshold.

-- +goose Up
ALTER TABLE connections
    ADD COLUMN stale_after_seconds integer NOT NULL DEFAULT 21600
        CHECK (stale_after_seconds BETWEEN 3600 AND 2592000);

-- The newest result of each check of each connection (what coverage reads),
-- rewritten with every evaluation; check_results keeps the history.
CREATE TABLE check_current (
    org_id            uuid NOT NULL REFERENCES organizations (id),
    connection_id     uuid NOT NULL REFERENCES connections (id),
    check_key         text NOT NULL,
    result_id         bigint NOT NULL REFERENCES check_results (id),
    status            text NOT NULL CHECK (status IN ('pass', 'fail', 'unknown')),
    reason            text NOT NULL,
    subjects_total    integer NOT NULL,
    subjects_failing  integer NOT NULL,
    subjects_excluded integer NOT NULL,
    evaluated_at      timestamptz NOT NULL,
    PRIMARY KEY (connection_id, check_key)
);
CREATE INDEX check_current_org_idx ON check_current (org_id);

CREATE TABLE alerts (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id          uuid NOT NULL REFERENCES organizations (id),
    connection_id   uuid NOT NULL REFERENCES connections (id),
    kind            text NOT NULL CHECK (kind IN ('stale', 'needs_reauth', 'sync_failing')),
    title           text NOT NULL,
    message         text NOT NULL,
    opened_at       timestamptz NOT NULL,
    resolved_at     timestamptz,
    acknowledged_at timestamptz,
    acknowledged_by uuid REFERENCES users (id)
);
-- At most one open alert of a kind per connection: an alert opens once.
CREATE UNIQUE INDEX alerts_open_idx ON alerts (connection_id, kind) WHERE resolved_at IS NULL;
CREATE INDEX alerts_org_idx ON alerts (org_id, opened_at DESC);

CREATE TABLE alert_deliveries (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id),
    alert_id    uuid NOT NULL REFERENCES alerts (id),
    event       text NOT NULL CHECK (event IN ('opened', 'resolved')),
    attempt     integer NOT NULL,
    status_code integer,
    error       text NOT NULL DEFAULT '',
    duration_ms integer NOT NULL,
    at          timestamptz NOT NULL
);
CREATE INDEX alert_deliveries_alert_idx ON alert_deliveries (alert_id, at);

-- One row per organization per day (UTC): counts by state, and every
-- control's state, for the coverage chart and the controls' history.
CREATE TABLE coverage_snapshots (
    org_id      uuid NOT NULL REFERENCES organizations (id),
    day         date NOT NULL,
    in_scope    integer NOT NULL,
    passing     integer NOT NULL,
    failing     integer NOT NULL,
    stale       integer NOT NULL,
    unknown     integer NOT NULL,
    no_evidence integer NOT NULL,
    controls    jsonb NOT NULL,
    taken_at    timestamptz NOT NULL,
    PRIMARY KEY (org_id, day)
);

ALTER TABLE check_current ENABLE ROW LEVEL SECURITY;
ALTER TABLE check_current FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON check_current USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
ALTER TABLE alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE alerts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON alerts USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
ALTER TABLE alert_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE alert_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON alert_deliveries USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
ALTER TABLE coverage_snapshots ENABLE ROW LEVEL SECURITY;
ALTER TABLE coverage_snapshots FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON coverage_snapshots USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());

GRANT SELECT, INSERT, UPDATE ON check_current, alerts, coverage_snapshots TO attest_app;
GRANT SELECT, INSERT ON alert_deliveries TO attest_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO attest_app;

-- +goose Down
SELECT 1;
