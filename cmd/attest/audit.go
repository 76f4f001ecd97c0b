package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
)

func (c *cli) audit(ctx context.Context, args []string) error {
	args, err := c.subcommand(args, "verify", "audit verify [--org ORG]")
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	orgRef := fs.String("org", "", "organization id or slug (default: every organization)")
	if err := c.parseFlags(fs, args); err != nil {
		return err
	}
	env, err := c.openDB(ctx)
	if err != nil {
		return err
	}
	defer env.close()
	var orgs []uuid.UUID
	if *orgRef != "" {
		org, err := env.accounts.FindOrg(ctx, *orgRef)
		if err != nil {
			return err
		}
		orgs = []uuid.UUID{org.ID}
	} else if err := db.Tx(ctx, env.pool, func(tx pgx.Tx) error {
		orgs, err = account.SystemIDs(ctx, tx, "organization", time.Now())
		return err
	}); err != nil {
		return err
	}
	broken := 0
	for _, id := range orgs {
		var rep audit.Report
		err := db.InOrg(ctx, env.pool, id, func(tx pgx.Tx) error {
			rep, err = audit.Verify(ctx, tx, id)
			return err
		})
		if err != nil {
			return err
		}
		if rep.Break != nil {
			broken++
			fmt.Fprintf(c.stdout, "%s: BROKEN at entry %d: %s\n", id, rep.Break.Seq, rep.Break.Reason)
			continue
		}
		fmt.Fprintf(c.stdout, "%s: ok, %d entries\n", id, rep.Rows)
	}
	if broken > 0 {
		return exitFailure{fmt.Sprintf("%d of %d audit chains are broken", broken, len(orgs))}
	}
	return nil
}
