package main

import (
	"context"
	"flag"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/internal/config"
)

func (c *cli) serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	migrate := fs.Bool("migrate", false, "apply pending migrations before serving")
	if err := c.parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := config.Load(c.getenv)
	if err != nil {
		return err
	}
	log := newLogger(c.stderr, cfg.LogFormat, cfg.LogLevel)
	if *migrate {
		if err := db.Migrate(ctx, cfg.DatabaseURL, log); err != nil {
			return err
		}
	}
	a, err := newApp(ctx, cfg, log, appOptions{PasswordParams: auth.ProductionParams})
	if err != nil {
		return err
	}
	defer a.close()
	return a.serve(ctx, func(addr string) {
		log.Info("attest is serving", "addr", addr, "base_url", cfg.BaseURL.String(), "role", cfg.Role)
	})
}
