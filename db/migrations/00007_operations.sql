-- Operations: platform operators, and the two aggregate doors across
-- tenants that the metrics endpoint and the operator console read.
--
-- Operators run attest itself; they hold no organization role. The table is
-- global (like users) and the application role may only read it: only
-- `attest operator create`, on the owner's connection, makes an operator, so
-- nothing the web application does can make anyone one.
--
-- Both functions are SECURITY DEFINER, owned by attest_sysread, and return
-- counts only: never evidence, never a user. system_counts sums over every
-- organization (no organization appears in it); ops_org_health lists each
-- organization's connection counts and refuses any caller whose app.user_id
-- is not an operator.

-- +goose Up
CREATE TABLE operators (
    user_id    uuid PRIMARY KEY REFERENCES users (id),
    created_at timestamptz NOT NULL
);
GRANT SELECT ON operators TO attest_app, attest_sysread;

CREATE POLICY sysread ON alerts FOR SELECT TO attest_sysread USING (true);
GRANT SELECT ON alerts TO attest_sysread;

-- A live connection's health at p_at, as the dashboard classifies it (see
-- connection.HealthFacts.At in internal/connection/health.go, which a test
-- holds this to): NULL for pending and revoked ones,
-- and for no connection at all (the NULL row of an outer join).
CREATE FUNCTION connection_health(p_status text, p_deleted_at timestamptz, p_connected_at timestamptz,
                                  p_last_success_at timestamptz, p_failures integer, p_stale_after_seconds integer,
                                  p_at timestamptz)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN p_status IS NULL OR p_status = 'pending' OR p_deleted_at IS NOT NULL THEN NULL
        WHEN p_status = 'needs_reauth' THEN 'needs_reauth'
        WHEN p_failures > 0 THEN 'failing'
        WHEN p_last_success_at IS NULL AND p_connected_at IS NOT NULL
             AND p_connected_at >= p_at - make_interval(secs => p_stale_after_seconds) THEN 'awaiting'
        WHEN p_last_success_at IS NULL
             OR p_last_success_at < p_at - make_interval(secs => p_stale_after_seconds) THEN 'stale'
        ELSE 'fresh'
    END
$$;

CALL sysread_enter();

-- Platform-wide counts for /metrics: live connections by health and open
-- alerts by kind, summed over every organization.
-- +goose StatementBegin
CREATE FUNCTION system_counts(p_at timestamptz)
    RETURNS TABLE (series text, label text, n bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT 'connections', h.state, count(*)
    FROM connections c
    CROSS JOIN LATERAL (SELECT connection_health(c.status, c.deleted_at, c.connected_at, c.last_success_at,
                                                 c.consecutive_failures, c.stale_after_seconds, p_at) AS state) h
    WHERE c.deleted_at IS NULL AND h.state IS NOT NULL
    GROUP BY h.state
    UNION ALL
    SELECT 'alerts_open', a.kind, count(*) FROM alerts a WHERE a.resolved_at IS NULL GROUP BY a.kind
$$;
-- +goose StatementEnd
ALTER FUNCTION system_counts(timestamptz) OWNER TO attest_sysread;

-- The operator console's health page: per organization, connection counts by
-- health, open alerts and the oldest last successful sync. Only an operator
-- (the transaction's app.user_id, set by db.AsUser) may read it.
-- +goose StatementBegin
CREATE FUNCTION ops_org_health(p_at timestamptz)
    RETURNS TABLE (org_id uuid, slug text, name text, fresh bigint, awaiting bigint, stale bigint,
                   needs_reauth bigint, failing bigint, pending bigint, open_alerts bigint,
                   oldest_success timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
#variable_conflict use_column
BEGIN
    IF NOT EXISTS (SELECT 1 FROM operators op WHERE op.user_id = app_user_id()) THEN
        RAISE EXCEPTION 'ops_org_health: only a platform operator may read it'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY
    SELECT o.id, o.slug, o.name,
           count(*) FILTER (WHERE h.state = 'fresh'),
           count(*) FILTER (WHERE h.state = 'awaiting'),
           count(*) FILTER (WHERE h.state = 'stale'),
           count(*) FILTER (WHERE h.state = 'needs_reauth'),
           count(*) FILTER (WHERE h.state = 'failing'),
           count(*) FILTER (WHERE c.status = 'pending'),
           (SELECT count(*) FROM alerts a WHERE a.org_id = o.id AND a.resolved_at IS NULL),
           min(c.last_success_at) FILTER (WHERE h.state IS NOT NULL)
    FROM organizations o
    LEFT JOIN connections c ON c.org_id = o.id AND c.deleted_at IS NULL
    LEFT JOIN LATERAL (SELECT connection_health(c.status, c.deleted_at, c.connected_at, c.last_success_at,
                                                c.consecutive_failures, c.stale_after_seconds, p_at) AS state) h ON true
    GROUP BY o.id
    ORDER BY count(*) FILTER (WHERE h.state IN ('needs_reauth', 'failing', 'stale')) DESC, o.name, o.id;
END
$$;
-- +goose StatementEnd
ALTER FUNCTION ops_org_health(timestamptz) OWNER TO attest_sysread;

CALL sysread_leave();
REVOKE ALL ON FUNCTION system_counts(timestamptz), ops_org_health(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION system_counts(timestamptz), ops_org_health(timestamptz) TO attest_app;

-- +goose Down
SELECT 1;
