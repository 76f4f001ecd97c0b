-- The connector platform: check parameters belong to the check that
-- declares them, not to every connection, and the consent flow is a
-- capability a connector declares, not a Microsoft-only purpose.

-- +goose Up
-- check_params holds a connection's values of the parameters its
-- connector's checks declare ({"inactive_days": 120}); a missing key means
-- the declared default. Ranges are validated against the declaration.
ALTER TABLE connections ADD COLUMN check_params jsonb NOT NULL DEFAULT '{}'
    CHECK (jsonb_typeof(check_params) = 'object');
UPDATE connections SET check_params = jsonb_build_object('inactive_days', inactive_days)
    WHERE connector = 'entra' AND inactive_days <> 90;
ALTER TABLE connections DROP COLUMN inactive_days;

ALTER TABLE oauth_flows DROP CONSTRAINT oauth_flows_purpose_check;
UPDATE oauth_flows SET purpose = 'consent' WHERE purpose = 'admin_consent';
ALTER TABLE oauth_flows ADD CONSTRAINT oauth_flows_purpose_check CHECK (purpose IN ('connect', 'reauth', 'consent'));

-- +goose Down
ALTER TABLE oauth_flows DROP CONSTRAINT oauth_flows_purpose_check;
UPDATE oauth_flows SET purpose = 'admin_consent' WHERE purpose = 'consent';
ALTER TABLE oauth_flows ADD CONSTRAINT oauth_flows_purpose_check CHECK (purpose IN ('connect', 'reauth', 'admin_consent'));

ALTER TABLE connections ADD COLUMN inactive_days integer NOT NULL DEFAULT 90 CHECK (inactive_days BETWEEN 7 AND 730);
UPDATE connections SET inactive_days = (check_params->>'inactive_days')::integer
    WHERE check_params ? 'inactive_days';
ALTER TABLE connections DROP COLUMN check_params;
