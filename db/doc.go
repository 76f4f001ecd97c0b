// Package db owns attest's PostgreSQL schema and the rules for reaching it.
//
// Migrations (River's through rivermigrate, then attest's goose files embedded
// from db/migrations) run as the role named by DATABASE_URL, which owns the
// schema. Every request and job runs on a pool whose connections switch to the
// attest_app role: it owns no table and cannot bypass row-level security, even
// when DATABASE_URL names a superuser. The pool logs in as the application's
// own login role when ATTEST_APP_DATABASE_URL names one (CheckLoginRole
// refuses one that could step outside row-level security), so RESET ROLE
// leads nowhere; without it, it logs in as the owner and only switches.
//
// Tenant data is reached only through InOrg, which opens a transaction scoped
// to one organization with set_config('app.org_id', id, true), or BeginInOrg,
// which hands such a transaction to work that outlives one call (the evidence
// writer). No package outside db calls set_config. The generated
// queries in db/dbsqlc take the transaction as their first argument, so every
// call names the scope it runs in.
package db
