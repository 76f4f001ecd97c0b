package main

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/testdb"
)

// operatorCounts counts, as the cluster administrator, the users and the
// operators.
func operatorCounts(t *testing.T, tdb *testdb.DB) (users, operators int) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), tdb.AdminURL)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	require.NoError(t, conn.QueryRow(context.Background(),
		`SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM operators)`).Scan(&users, &operators))
	return users, operators
}

func TestOperatorCreateCommand(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	env := map[string]string{"DATABASE_URL": tdb.URL}

	id, stderr, err := run(t, env, "an operator passphrase\n", "operator", "create", "--email", "Ops@Example.test", "--password-stdin")
	require.NoError(t, err)
	require.Len(t, strings.TrimSpace(id), 36)
	require.Contains(t, stderr, "created ops@example.test, a platform operator")
	users, operators := operatorCounts(t, tdb)
	require.Equal(t, 1, users)
	require.Equal(t, 1, operators)

	// Running it again changes nothing and says so.
	again, stderr, err := run(t, env, "", "operator", "create", "--email", "ops@example.test")
	require.NoError(t, err)
	require.Equal(t, id, again)
	require.Contains(t, stderr, "ops@example.test was already a platform operator")

	// An organization's user can be made an operator too, keeping the account.
	_, _, err = run(t, env, "", "org", "create", "--name", "Initech Corp")
	require.NoError(t, err)
	member, _, err := run(t, env, "a long enough password\n", "user", "create", "--email", "peter@initech.example", "--org", "initech-corp", "--role", "owner", "--password-stdin")
	require.NoError(t, err)
	promoted, stderr, err := run(t, env, "", "operator", "create", "--email", "peter@initech.example")
	require.NoError(t, err)
	require.Equal(t, member, promoted)
	require.Contains(t, stderr, "peter@initech.example is now a platform operator")
	users, operators = operatorCounts(t, tdb)
	require.Equal(t, 2, users)
	require.Equal(t, 2, operators)
}

func TestOperatorCreateRefusesBadInput(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	env := map[string]string{"DATABASE_URL": tdb.URL}

	for _, tc := range []struct {
		name, stdin, want string
		args              []string
	}{
		{"too short a password", "short\n", "at least 12 characters", []string{"--email", "ops@example.test", "--password-stdin"}},
		{"no password for a new account", "", "ops@example.test has no account yet: give the new operator a password", []string{"--email", "ops@example.test"}},
		{"empty standard input", "", "standard input held no password", []string{"--email", "ops@example.test", "--password-stdin"}},
		{"no email", "an operator passphrase\n", "--email is required", []string{"--password-stdin"}},
		{"not an email", "an operator passphrase\n", `"not-an-address" is not a valid email address`, []string{"--email", "not-an-address", "--password-stdin"}},
	} {
		_, _, err := run(t, env, tc.stdin, append([]string{"operator", "create"}, tc.args...)...)
		require.ErrorContains(t, err, tc.want, tc.name)
		require.Equal(t, 2, exitCode(err), tc.name)
	}
	_, _, err := run(t, env, "", "operator", "delete", "--email", "ops@example.test")
	require.ErrorContains(t, err, "usage: attest operator create --email EMAIL --password-stdin")

	// Nothing was created.
	users, operators := operatorCounts(t, tdb)
	require.Zero(t, users)
	require.Zero(t, operators)
}
