// Command attest is the compliance-evidence server and its operator tools.
//
//	attest serve                 run the web server (and, later, the jobs)
//	attest dev                   run everything locally with embedded defaults
//	attest migrate               bring the database schema up to date
//	attest org create            create an organization
//	attest user create           create a user and grant a membership
//	attest operator create       make a platform operator (the /ops console)
//	attest audit verify          verify the audit log's hash chains
//	attest keys rotate           move data keys to the current key (or reseal one organization)
//	attest entrasim              run the Entra ID simulator on its own
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/attesthq/attest/internal/config"
)

// cli is the process's outside world, so tests can run commands in-process.
type cli struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv config.Getenv
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(c *cli, ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server", (*cli).serve},
		{"dev", "run locally: private PostgreSQL under .data/, demo organization and logins", (*cli).dev},
		{"migrate", "apply database migrations (River's, then attest's)", (*cli).migrate},
		{"org", "manage organizations: org create --name NAME [--slug SLUG]", (*cli).org},
		{"user", "manage users: user create --email EMAIL --org ORG --role owner|admin|auditor --password-stdin", (*cli).user},
		{"operator", "platform operators: operator create --email EMAIL --password-stdin", (*cli).operator},
		{"audit", "audit log tools: audit verify [--org ORG]", (*cli).audit},
		{"keys", "rotate keys: keys rotate [--org ORG [--reseal]]", (*cli).keys},
		{"entrasim", "run the Entra ID simulator alone: entrasim --addr 127.0.0.1:PORT --users N", (*cli).entrasim},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c := &cli{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	err := c.dispatch(ctx, os.Args[1:])
	code := exitStatus(ctx, err)
	if code != 0 {
		fmt.Fprintln(os.Stderr, "attest:", err)
	}
	os.Exit(code)
}

// dispatch runs the command args name. -h or --help, anywhere a command
// takes them, prints usage on stdout and succeeds.
func (c *cli) dispatch(ctx context.Context, args []string) error {
	if len(args) == 0 {
		c.usage(c.stderr)
		return errUsage
	}
	if isHelp(args[0]) {
		c.usage(c.stdout)
		return nil
	}
	for _, cmd := range commands() {
		if cmd.name == args[0] {
			if err := cmd.run(c, ctx, args[1:]); !errors.Is(err, flag.ErrHelp) {
				return err
			}
			return nil
		}
	}
	c.usage(c.stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

var errUsage = errors.New("a command is required")

func (c *cli) usage(w io.Writer) {
	fmt.Fprint(w, "usage: attest <command> [flags]\n\ncommands:\n")
	for _, cmd := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprint(w, "\nRun 'attest <command> -h' for a command's usage.\n")
}

// exitFailure is returned by checks that ran but found a problem (a broken
// audit chain), so scripts can tell it from a usage error.
type exitFailure struct{ msg string }

func (e exitFailure) Error() string { return e.msg }

// exitStatus is the process's exit code: 0 on success, and also when a
// signal (Ctrl-C, SIGTERM) cancelled ctx and the command stopped cleanly,
// returning nil or only the cancellation; otherwise exitCode.
func exitStatus(ctx context.Context, err error) int {
	if err == nil || (ctx.Err() != nil && errors.Is(err, context.Canceled)) {
		return 0
	}
	return exitCode(err)
}

// exitCode is 1 for a check that found a problem, 2 for any other error.
func exitCode(err error) int {
	var f exitFailure
	if errors.As(err, &f) {
		return 1
	}
	return 2
}
