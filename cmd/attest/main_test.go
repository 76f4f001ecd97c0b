package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"

	"github.com/attesthq/attest/internal/testdb"
)

// childArgsEnv, when set, makes the test binary run as `attest <args>`
// instead of running tests, so a test can start real attest processes
// without building the binary.
const childArgsEnv = "ATTEST_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childArgsEnv); args != "" {
		os.Exit(runChild(strings.Fields(args)))
	}
	testdb.Main(m)
}

// runChild is main for a child process.
func runChild(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c := &cli{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	if err := c.dispatch(ctx, args); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "attest:", err)
		return exitCode(err)
	}
	return 0
}
