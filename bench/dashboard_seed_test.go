package bench

// seedParams holds the dashboard benchmark's shape for seedStatements:
// organization, template connection, connections, evidence rows,
// organizations and each other organization's evidence rows.
const seedParams = `CREATE TEMP TABLE seed ON COMMIT DROP AS
 SELECT $1::uuid AS org, $2::uuid AS conn, $3::int AS conns, $4::int AS evidence, $5::int AS orgs, $6::int AS other_evidence`

// seedStatements build the dashboard benchmark's data from one real synced
// connection, as the cluster's administrator (row-level security does not
// apply). Rows are copied through jsonb so the statements name only the
// columns they change.
var seedStatements = []string{

	// 49 more connections in the organization, each with the template's
	// run, check results and current results.
	`CREATE TEMP TABLE clones ON COMMIT DROP AS
	 SELECT gen_random_uuid() AS conn, gen_random_uuid() AS run, g AS n
	 FROM generate_series(1, (SELECT conns - 1 FROM seed)) g`,
	`CREATE TEMP TABLE others ON COMMIT DROP AS
	 SELECT gen_random_uuid() AS org, gen_random_uuid() AS conn, gen_random_uuid() AS run, g AS n
	 FROM generate_series(1, (SELECT orgs - 1 FROM seed)) g`,
	`INSERT INTO organizations (id, slug, name, created_at) SELECT org, 'bench-' || n, 'Bench org ' || n, now() FROM others`,
	// targets: every new connection with its organization and run.
	`CREATE TEMP TABLE targets ON COMMIT DROP AS
	 SELECT (SELECT org FROM seed) AS org, conn, run, 'Tenant ' || n AS name FROM clones
	 UNION ALL SELECT org, conn, run, 'Tenant' FROM others`,
	`INSERT INTO connections
	 SELECT (jsonb_populate_record(NULL::connections, to_jsonb(c) || jsonb_build_object(
	     'id', t.conn, 'org_id', t.org, 'display_name', t.name, 'identity_key', c.identity_key || '-' || t.conn))).*
	 FROM connections c, targets t WHERE c.id = (SELECT conn FROM seed)`,
	`INSERT INTO connector_runs
	 SELECT (jsonb_populate_record(NULL::connector_runs, to_jsonb(r) || jsonb_build_object(
	     'id', t.run, 'org_id', t.org, 'connection_id', t.conn))).*
	 FROM (SELECT * FROM connector_runs WHERE connection_id = (SELECT conn FROM seed) ORDER BY started_at LIMIT 1) r, targets t`,
	`CREATE TEMP TABLE results ON COMMIT DROP AS
	 SELECT cc.result_id AS old_id, nextval(pg_get_serial_sequence('check_results', 'id')) AS new_id, t.*
	 FROM check_current cc, targets t WHERE cc.connection_id = (SELECT conn FROM seed)`,
	`INSERT INTO check_results OVERRIDING SYSTEM VALUE
	 SELECT (jsonb_populate_record(NULL::check_results, to_jsonb(cr) || jsonb_build_object(
	     'id', m.new_id, 'org_id', m.org, 'connection_id', m.conn, 'run_id', m.run))).*
	 FROM check_results cr JOIN results m ON m.old_id = cr.id`,
	`INSERT INTO check_current
	 SELECT (jsonb_populate_record(NULL::check_current, to_jsonb(cc) || jsonb_build_object(
	     'org_id', m.org, 'connection_id', m.conn, 'result_id', m.new_id))).*
	 FROM check_current cc JOIN results m ON m.old_id = cc.result_id`,

	// Evidence: the template's rows, numbered, repeated under new subjects
	// until the organization holds the target count.
	`CREATE TEMP TABLE tmpl ON COMMIT DROP AS
	 SELECT row_number() OVER (ORDER BY id) - 1 AS i, e.* FROM evidence e WHERE connection_id = (SELECT conn FROM seed)`,
	`INSERT INTO evidence (org_id, connection_id, kind, schema_version, subject_key, subject_label, payload, fingerprint, observed_at, collected_at, first_run_id)
	 SELECT s.org, k.conn, t.kind, t.schema_version, t.subject_key || '#' || (g / n.n), t.subject_label, t.payload,
	        sha256(t.fingerprint || uuid_send(k.conn) || int4send(g)), t.observed_at, t.collected_at, k.run
	 FROM seed s
	 CROSS JOIN (SELECT count(*)::int AS n FROM tmpl) n
	 CROSS JOIN clones k
	 CROSS JOIN LATERAL generate_series(0, (s.evidence - n.n) / (s.conns - 1) - 1) g
	 JOIN tmpl t ON t.i = g % n.n`,
	`INSERT INTO evidence (org_id, connection_id, kind, schema_version, subject_key, subject_label, payload, fingerprint, observed_at, collected_at, first_run_id)
	 SELECT o.org, o.conn, t.kind, t.schema_version, t.subject_key, t.subject_label, t.payload,
	        sha256(t.fingerprint || uuid_send(o.conn)), t.observed_at, t.collected_at, o.run
	 FROM others o JOIN tmpl t ON t.i < (SELECT other_evidence FROM seed)`,
	`INSERT INTO evidence_current (org_id, connection_id, kind, subject_key, evidence_id, fingerprint, since_run_id)
	 SELECT org_id, connection_id, kind, subject_key, id, fingerprint, first_run_id
	 FROM evidence e WHERE connection_id <> (SELECT conn FROM seed)`,

	// Everything synced half an hour ago; a few alerts open; 90 days of history.
	`UPDATE connections SET last_success_at = now() - interval '30 minutes', last_sync_at = now() - interval '30 minutes',
	     next_sync_at = now() + interval '30 minutes', status = 'active'`,
	`INSERT INTO alerts (org_id, connection_id, kind, title, message, opened_at)
	 SELECT (SELECT org FROM seed), conn, 'sync_failing', 'Tenant ' || n || ' keeps failing to sync', '3 syncs in a row failed.', now() - interval '2 hours'
	 FROM clones WHERE n <= 3`,
	`INSERT INTO coverage_snapshots (org_id, day, in_scope, passing, failing, stale, unknown, no_evidence, controls, taken_at)
	 SELECT s.org, current_date - g, 33, 1, 2, 0, 0, 30,
	        jsonb_build_object('CC6.1', CASE WHEN g % 7 = 0 THEN 'passing' ELSE 'failing' END, 'CC6.2', 'failing', 'CC7.1', 'passing'),
	        now() - make_interval(days => g)
	 FROM seed s, generate_series(1, 90) g`,
}
