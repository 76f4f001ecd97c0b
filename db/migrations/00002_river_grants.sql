-- River's own tables are created by rivermigrate before these migrations run.
-- They carry no tenant data beyond ids in job arguments, so they sit outside
-- RLS; attest_app works the queue. goose's version table is readable so the
-- readiness check can confirm the schema is current.

-- +goose Up
GRANT SELECT, INSERT, UPDATE, DELETE ON river_job, river_leader, river_queue, river_notification TO attest_app;
GRANT SELECT ON river_migration TO attest_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO attest_app;
GRANT SELECT ON goose_db_version TO attest_app;

-- +goose Down
SELECT 1;
