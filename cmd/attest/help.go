package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// parseFlags parses args into fs. -h or --help prints the command's usage
// and flags on stdout and returns flag.ErrHelp, which dispatch reports as
// success; other flag errors are returned for main to print on stderr.
func (c *cli) parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(c.stdout, "usage: attest %s [flags]\n\nflags:\n", fs.Name())
		fs.SetOutput(c.stdout)
		fs.PrintDefaults()
	}
	return err
}

// subcommand returns the arguments after sub when args start with it. -h or
// --help instead prints usage on stdout and returns flag.ErrHelp; anything
// else is a usage error.
func (c *cli) subcommand(args []string, sub, usage string) ([]string, error) {
	if len(args) > 0 && args[0] == sub {
		return args[1:], nil
	}
	if len(args) > 0 && isHelp(args[0]) {
		command, _, _ := strings.Cut(usage, " "+sub)
		fmt.Fprintf(c.stdout, "usage: attest %s\n\nRun 'attest %s %s -h' for its flags.\n", usage, command, sub)
		return nil, flag.ErrHelp
	}
	return nil, errors.New("usage: attest " + usage)
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "help"
}
