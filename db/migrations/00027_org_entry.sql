-- Entering an organization, in one statement: the signed-in user's
-- organizations (for the switcher) and, for the one the request names, its
-- open alerts and read version. The web server ran this as a transaction of
-- five round trips on every page (scope to the user, list, scope to the
-- organization, read the banner, commit); as one call it is one round trip,
-- which the busiest pages (the dashboard and the control pages, served from
-- a kept view) spend most of their database time on.
--
-- It runs as its caller (attest_app), under row-level security, and scopes
-- itself exactly as db.AsUser and db.ScopeToOrg do: to the user, then to the
-- organization only when one of the user's live memberships is to it. Both
-- settings are transaction-local and cleared before it returns. The columns
-- of organizations are listed by name: a migration adding one adds it here.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION org_entry(p_user uuid, p_slug text, p_org uuid, p_now timestamptz)
RETURNS TABLE (id uuid, slug text, name text, settings jsonb, wrapped_data_key bytea, created_at timestamptz,
               role text, expires_at timestamptz, assessment_id uuid, open_alerts integer, version bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    chosen uuid;
BEGIN
    PERFORM set_config('app.user_id', p_user::text, true);
    SELECT o.id INTO chosen
    FROM organizations o JOIN memberships m ON m.org_id = o.id
    WHERE m.user_id = p_user AND m.revoked_at IS NULL AND (m.expires_at IS NULL OR p_now < m.expires_at)
      AND (o.slug = p_slug OR o.id = p_org)
    ORDER BY o.name, o.slug
    LIMIT 1;
    IF chosen IS NOT NULL THEN
        PERFORM set_config('app.org_id', chosen::text, true);
    END IF;
    RETURN QUERY
    SELECT o.id, o.slug, o.name, o.settings, o.wrapped_data_key, o.created_at, m.role, m.expires_at, m.assessment_id,
           CASE WHEN o.id = chosen THEN (SELECT count(*) FROM alerts a WHERE a.resolved_at IS NULL)::integer END,
           CASE WHEN o.id = chosen THEN coalesce((SELECT v.version FROM org_versions v), 0) END
    FROM organizations o JOIN memberships m ON m.org_id = o.id
    WHERE m.user_id = p_user AND m.revoked_at IS NULL
    ORDER BY o.name, o.slug;
    PERFORM set_config('app.org_id', '', true);
    PERFORM set_config('app.user_id', '', true);
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION org_entry(uuid, text, uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION org_entry(uuid, text, uuid, timestamptz) TO attest_app;

-- +goose Down
DROP FUNCTION org_entry(uuid, text, uuid, timestamptz);
