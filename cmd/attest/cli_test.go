package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/testdb"
)

// run executes one command in-process with the given environment and stdin.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	c := &cli{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(k string) string { return env[k] }}
	err = c.dispatch(context.Background(), args)
	return out.String(), errOut.String(), err
}

func TestOperatorCommands(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	env := map[string]string{"DATABASE_URL": tdb.URL}

	orgID, _, err := run(t, env, "", "org", "create", "--name", "Initech Corp")
	require.NoError(t, err)
	orgID = strings.TrimSpace(orgID)
	require.Len(t, orgID, 36)

	_, stderr, err := run(t, env, "a long enough password\n", "user", "create", "--email", "Peter@Initech.example", "--org", "initech-corp", "--role", "owner", "--password-stdin")
	require.NoError(t, err)
	require.Contains(t, stderr, "peter@initech.example is now owner of initech-corp")

	_, _, err = run(t, env, "short\n", "user", "create", "--email", "bob@initech.example", "--org", orgID, "--role", "admin", "--password-stdin")
	require.ErrorContains(t, err, "at least 12 characters")
	_, _, err = run(t, env, "a long enough password\n", "user", "create", "--email", "bob@initech.example", "--org", "nope", "--role", "admin", "--password-stdin")
	require.ErrorContains(t, err, "no such organization")
	_, _, err = run(t, env, "a long enough password\n", "user", "create", "--email", "bob@initech.example", "--org", orgID, "--role", "root", "--password-stdin")
	require.ErrorContains(t, err, "role must be owner, admin or auditor")

	out, _, err := run(t, env, "", "audit", "verify")
	require.NoError(t, err)
	require.Contains(t, out, orgID+": ok, 3 entries", "the organization, the member and the password set")

	// Alter a row behind the application's back: verify names the first break.
	conn, err := pgx.Connect(context.Background(), tdb.AdminURL)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	for _, stmt := range []string{
		`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`,
		`UPDATE audit_log SET actor_label = 'someone else' WHERE seq = 2`,
		`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`,
	} {
		_, err := conn.Exec(context.Background(), stmt)
		require.NoError(t, err)
	}
	out, _, err = run(t, env, "", "audit", "verify", "--org", "initech-corp")
	require.Error(t, err)
	require.Equal(t, 1, exitCode(err))
	require.Contains(t, out, "BROKEN at entry 2")
}

func TestUserCreateRefusesAnAccountWithoutAPassword(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	env := map[string]string{"DATABASE_URL": tdb.URL}
	_, _, err := run(t, env, "", "org", "create", "--name", "Initech Corp")
	require.NoError(t, err)

	_, _, err = run(t, env, "", "user", "create", "--email", "peter@initech.example", "--org", "initech-corp", "--role", "owner")
	require.ErrorContains(t, err, "--password-stdin is required")
	_, _, err = run(t, env, "\n", "user", "create", "--email", "peter@initech.example", "--org", "initech-corp", "--role", "owner", "--password-stdin")
	require.ErrorContains(t, err, "standard input held no password")

	var users int
	require.NoError(t, tdb.Pool.QueryRow(context.Background(), `SELECT count(*) FROM users`).Scan(&users))
	require.Zero(t, users, "no account was created")
}

func TestUserCreatePasswordIsAuditedInEveryOrganization(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	env := map[string]string{"DATABASE_URL": tdb.URL}
	var orgs []string
	for _, name := range []string{"Initech Corp", "Globex"} {
		id, _, err := run(t, env, "", "org", "create", "--name", name)
		require.NoError(t, err)
		orgs = append(orgs, strings.TrimSpace(id))
	}
	_, _, err := run(t, env, "a long enough password\n", "user", "create", "--email", "peter@initech.example", "--org", "initech-corp", "--role", "owner", "--password-stdin")
	require.NoError(t, err)
	// Added to a second organization with a new password: the change opens
	// both, so both logs record it.
	_, _, err = run(t, env, "another long password\n", "user", "create", "--email", "peter@initech.example", "--org", "globex", "--role", "admin", "--password-stdin")
	require.NoError(t, err)

	require.Equal(t, 2, passwordSets(t, tdb, orgs[0], "peter@initech.example"))
	require.Equal(t, 1, passwordSets(t, tdb, orgs[1], "peter@initech.example"))

	// Promoting the account to operator with a new password is a change too.
	_, _, err = run(t, env, "a third long password\n", "operator", "create", "--email", "peter@initech.example", "--password-stdin")
	require.NoError(t, err)
	require.Equal(t, 3, passwordSets(t, tdb, orgs[0], "peter@initech.example"))
	require.Equal(t, 2, passwordSets(t, tdb, orgs[1], "peter@initech.example"))
	out, _, err := run(t, env, "", "audit", "verify")
	require.NoError(t, err)
	require.NotContains(t, out, "BROKEN")
}

// passwordSets counts the organization's password-set audit rows for email.
func passwordSets(t *testing.T, tdb *testdb.DB, org, email string) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), tdb.AdminURL)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	var n int
	require.NoError(t, conn.QueryRow(context.Background(), `SELECT count(*) FROM audit_log
		WHERE org_id = $1 AND action = 'user.password_set' AND details->>'email' = $2`, org, email).Scan(&n))
	return n
}

func TestConfigurationErrorsNameTheVariable(t *testing.T) {
	t.Parallel()
	_, _, err := run(t, map[string]string{"ATTEST_BASE_URL": "localhost:3000", "ATTEST_SESSION_KEYS": "short"}, "", "serve")
	require.Error(t, err)
	for _, want := range []string{"DATABASE_URL: is required", "ATTEST_BASE_URL: must be an absolute http(s) origin", "ATTEST_SESSION_KEYS: key 1 is 5 characters long"} {
		require.Contains(t, err.Error(), want)
	}
	_, _, err = run(t, nil, "", "frobnicate")
	require.ErrorContains(t, err, `unknown command "frobnicate"`)
	require.Equal(t, 2, exitCode(err))
}
