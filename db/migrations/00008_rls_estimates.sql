-- Evidence policies compare org_id with (SELECT app_org_id()) rather than
-- app_org_id() itself.
--
-- The planner evaluates a stable function such as app_org_id() while it
-- estimates, so it looked the organization up in the column's statistics.
-- An organization created since the last ANALYZE is not there and was
-- estimated at almost no rows; the org_id-prefixed evidence indexes then
-- looked free and were used to find single records by id, scanning all of
-- the new organization's evidence for each one. A first sync ran for
-- minutes instead of seconds (bench/results.md, 2026-11-26). A sub-select
-- runs once per statement as an InitPlan, still serves as an index
-- condition, and is estimated from the number of organizations instead.
-- A missing app.org_id still matches nothing.

-- +goose Up
ALTER POLICY tenant ON evidence
    USING (org_id = (SELECT app_org_id())) WITH CHECK (org_id = (SELECT app_org_id()));
ALTER POLICY tenant ON evidence_current
    USING (org_id = (SELECT app_org_id())) WITH CHECK (org_id = (SELECT app_org_id()));

-- +goose Down
ALTER POLICY tenant ON evidence
    USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
ALTER POLICY tenant ON evidence_current
    USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id());
