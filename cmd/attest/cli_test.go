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
	_, _, err = run(t, env, "", "user", "create", "--email", "bob@initech.example", "--org", "nope", "--role", "admin")
	require.ErrorContains(t, err, "no such organization")
	_, _, err = run(t, env, "", "user", "create", "--email", "bob@initech.example", "--org", orgID, "--role", "root")
	require.ErrorContains(t, err, "role must be owner, admin or auditor")

	out, _, err := run(t, env, "", "audit", "verify")
	require.NoError(t, err)
	require.Contains(t, out, orgID+": ok, 2 entries")

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
