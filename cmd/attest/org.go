package main

import (
	"context"
	"flag"
	"fmt"
)

func (c *cli) org(ctx context.Context, args []string) error {
	args, err := c.subcommand(args, "create", "org create --name NAME [--slug SLUG]")
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("org create", flag.ContinueOnError)
	name := fs.String("name", "", "the organization's display name (required)")
	slug := fs.String("slug", "", "URL slug (default: derived from the name)")
	if err := c.parseFlags(fs, args); err != nil {
		return err
	}
	if *name == "" {
		return fmt.Errorf("org create: --name is required")
	}
	env, err := c.openDB(ctx)
	if err != nil {
		return err
	}
	defer env.close()
	org, err := env.accounts.CreateOrg(ctx, *name, *slug, env.actor)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, org.ID)
	fmt.Fprintf(c.stderr, "created organization %q (slug %s)\n", org.Name, org.Slug)
	return nil
}
