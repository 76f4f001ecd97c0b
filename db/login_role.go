package db

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// SysreadRole owns the SECURITY DEFINER functions that read across
// organizations; the application may call them but never become it.
const SysreadRole = "attest_sysread"

// loginRoleQuery describes the role the pool's connections logged in as
// (session_user, which RESET ROLE returns to): every power that would let
// SQL run through the application step outside row-level security.
const loginRoleQuery = `
SELECT r.rolname, r.rolsuper, r.rolbypassrls, r.rolcreaterole,
       EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'
                 AND pg_has_role(r.oid, c.relowner, 'MEMBER')),
       EXISTS (SELECT 1 FROM pg_database d
               WHERE d.datname = current_database() AND pg_has_role(r.oid, d.datdba, 'MEMBER')),
       pg_has_role(r.oid, '` + SysreadRole + `', 'MEMBER')
FROM pg_roles r WHERE r.rolname = session_user`

// CheckLoginRole refuses a pool whose login role could undo the switch to
// AppRole and reach data as something more: a superuser, a role with
// BYPASSRLS or CREATEROLE, the owner (or a member of the owner) of a table
// or of the database, or a member of SysreadRole.
func CheckLoginRole(ctx context.Context, pool *pgxpool.Pool) error {
	var name string
	var super, bypass, createRole, ownsTables, ownsDatabase, sysread bool
	if err := pool.QueryRow(ctx, loginRoleQuery).Scan(&name, &super, &bypass, &createRole, &ownsTables, &ownsDatabase, &sysread); err != nil {
		return fmt.Errorf("db: check the application login role: %w", err)
	}
	var why []string
	for _, p := range []struct {
		bad    bool
		reason string
	}{
		{super, "is a superuser"},
		{bypass, "has BYPASSRLS"},
		{createRole, "has CREATEROLE"},
		{ownsTables, "owns tables of the schema (or is a member of their owner)"},
		{ownsDatabase, "owns the database (or is a member of its owner)"},
		{sysread, "is a member of " + SysreadRole},
	} {
		if p.bad {
			why = append(why, p.reason)
		}
	}
	if len(why) > 0 {
		return fmt.Errorf("db: ATTEST_APP_DATABASE_URL logs in as %q, which %s: give the application a login role that owns nothing and is only a member of %s (README, \"The application login role\")",
			name, strings.Join(why, ", "), AppRole)
	}
	return nil
}
