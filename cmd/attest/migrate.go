package main

import (
	"context"
	"flag"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/config"
)

func (c *cli) migrate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	if err := c.parseFlags(fs, args); err != nil {
		return err
	}
	url, err := config.DatabaseURL(c.getenv)
	if err != nil {
		return err
	}
	log := newLogger(c.stderr, c.getenv("ATTEST_LOG_FORMAT"), "info")
	if err := db.Migrate(ctx, url, log); err != nil {
		return err
	}
	log.Info("schema is current", "version", db.LatestVersion())
	return nil
}
