package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCLIHelpAnswersEveryCommandOnStdout(t *testing.T) {
	t.Parallel()
	commands := [][]string{
		{}, {"serve"}, {"dev"}, {"migrate"}, {"entrasim"},
		{"org"}, {"org", "create"}, {"user"}, {"user", "create"},
		{"operator"}, {"operator", "create"}, {"audit"}, {"audit", "verify"},
		{"keys"}, {"keys", "rotate"},
	}
	for _, cmd := range commands {
		for _, flag := range []string{"-h", "--help"} {
			args := append(append([]string{}, cmd...), flag)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				t.Parallel()
				stdout, stderr, err := run(t, nil, "", args...)
				require.NoError(t, err, "exit 0")
				require.Equal(t, 0, exitStatus(t.Context(), err))
				require.True(t, strings.HasPrefix(stdout, "usage: attest "+strings.Join(cmd, " ")), stdout)
				require.Empty(t, stderr)
			})
		}
	}
}

func TestCLIUsageListsOneCommandPerLine(t *testing.T) {
	t.Parallel()
	stdout, _, err := run(t, nil, "", "--help")
	require.NoError(t, err)
	for _, cmd := range commands() {
		require.Contains(t, stdout, "\n  "+cmd.name+" ", "each command starts its own line")
	}
}

func TestCLIBadFlagIsAUsageError(t *testing.T) {
	t.Parallel()
	stdout, _, err := run(t, nil, "", "keys", "rotate", "--nope")
	require.ErrorContains(t, err, "flag provided but not defined: -nope")
	require.Equal(t, 2, exitStatus(t.Context(), err))
	require.Empty(t, stdout)
}
