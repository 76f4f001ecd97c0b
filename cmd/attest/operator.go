package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/internal/config"
)

// operator makes a platform operator: an account that signs in to /ops (the
// job console and the platform's health), apart from every organization.
func (c *cli) operator(ctx context.Context, args []string) error {
	args, err := c.subcommand(args, "create", "operator create --email EMAIL --password-stdin")
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("operator create", flag.ContinueOnError)
	email := fs.String("email", "", "the operator's email address (required); an existing account is reused")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (required for a new account)")
	if err := c.parseFlags(fs, args); err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("operator create: --email is required")
	}
	password := ""
	if *pwStdin {
		var err error
		if password, err = readPassword(c.stdin); err != nil {
			return err
		}
	}
	ownerURL, err := config.DatabaseURL(c.getenv)
	if err != nil {
		return err
	}
	env, err := c.openDB(ctx)
	if err != nil {
		return err
	}
	defer env.close()
	hasher, err := auth.NewHasher(auth.ProductionParams)
	if err != nil {
		return err
	}
	g, err := env.accounts.MakeOperator(ctx, ownerURL, hasher, *email, password)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, g.User.ID)
	switch {
	case g.Already:
		fmt.Fprintf(c.stderr, "%s was already a platform operator\n", g.User.Email)
	case g.NewUser:
		fmt.Fprintf(c.stderr, "created %s, a platform operator: sign in at /login, then open /ops\n", g.User.Email)
	default:
		fmt.Fprintf(c.stderr, "%s is now a platform operator: sign in at /login, then open /ops\n", g.User.Email)
	}
	return nil
}
