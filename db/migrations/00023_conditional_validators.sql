-- Conditional-request validators: per connection and URL, the validator a
-- provider answered (an ETag) and the answer it validates, so a resync asks
-- "has it changed?" (If-None-Match) and reuses the stored answer when the
-- provider says it has not (a 304, which GitHub does not charge to the
-- hourly budget). Not secrets: they hold what the provider answered, as
-- evidence does, under the same row-level security.

-- +goose Up
CREATE TABLE conditional_validators (
    org_id        uuid NOT NULL REFERENCES organizations (id),
    connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    url           text NOT NULL CHECK (length(url) BETWEEN 1 AND 4096),
    validator     text NOT NULL CHECK (length(validator) BETWEEN 1 AND 1024),
    body          bytea NOT NULL,
    links         text NOT NULL CHECK (length(links) <= 8192),
    stored_at     timestamptz NOT NULL,
    PRIMARY KEY (connection_id, url)
);
ALTER TABLE conditional_validators ENABLE ROW LEVEL SECURITY;
ALTER TABLE conditional_validators FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON conditional_validators USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON conditional_validators TO attest_app;

-- +goose Down
DROP TABLE conditional_validators;
