-- Definer functions pin their search path with pg_temp last, and the
-- application role may not create temporary tables.
--
-- A SECURITY DEFINER function runs with its owner's rights but resolves
-- unqualified names through its search_path. `SET search_path = public`
-- still searches the caller's temporary schema FIRST (PostgreSQL puts
-- pg_temp in front of the path unless the path names it), so a temporary
-- `operators` or `connections` table created by the application role
-- steered ops_org_health (a fake operator passed its check) and system_ids
-- (ids of the caller's choosing). Naming pg_temp last, after pg_catalog and
-- public, closes that; revoking TEMPORARY on the database removes the
-- lever altogether.
--
-- The bodies are unchanged, so the path is set with ALTER FUNCTION rather
-- than by repeating them. db/asvs_v14_definer_search_path_test.go checks
-- every SECURITY DEFINER function of the schema, so one added later with a
-- bare `public` path fails the tests.
--
-- Database privileges belong to the database owner: when the migrating role
-- does not own the database, the revoke is reported as a warning and the
-- DBA runs it (README, "The application login role").

-- +goose Up
CALL sysread_enter();
ALTER FUNCTION system_ids(text, timestamptz, uuid, integer) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION system_counts(timestamptz) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION ops_org_health(timestamptz) SET search_path = pg_catalog, public, pg_temp;
CALL sysread_leave();

-- +goose StatementBegin
DO $$
BEGIN
    IF pg_has_role(current_user, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER') THEN
        EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC, attest_app', current_database());
    ELSE
        RAISE WARNING 'attest: % does not own database %, so temporary tables stay allowed: run REVOKE TEMPORARY ON DATABASE % FROM PUBLIC as its owner',
            current_user, current_database(), current_database();
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
SELECT 1;
