package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/config"
	"github.com/attesthq/attest/internal/keyring"
	"github.com/attesthq/attest/internal/rotation"
	"github.com/attesthq/attest/internal/vault"
)

// keys rotates key wrapping (every organization, or one) or, with
// --reseal, one organization's data key.
func (c *cli) keys(ctx context.Context, args []string) error {
	args, err := c.subcommand(args, "rotate", "keys rotate [--org ORG [--reseal]]")
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("keys rotate", flag.ContinueOnError)
	orgRef := fs.String("org", "", "organization id or slug (default: every organization)")
	reseal := fs.Bool("reseal", false, "give the organization a new data key and reseal its credentials under it (needs --org)")
	if err := c.parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("keys rotate: unexpected argument %q", fs.Arg(0))
	}
	if *reseal && *orgRef == "" {
		return errors.New("keys rotate: --reseal needs --org ORG: it reseals one organization's credentials at a time")
	}
	keys, err := config.LoadKeys(c.getenv)
	if err != nil {
		return err
	}
	// The current key must exist already: the servers use it too.
	kr, err := newKeyring(ctx, keys, false)
	if err != nil {
		return err
	}
	env, err := c.openDB(ctx)
	if err != nil {
		return err
	}
	defer env.close()
	svc := &rotation.Service{Pool: env.pool, Clock: clock.Real{}, Vault: &vault.Vault{Keyring: kr}}
	if *orgRef == "" {
		sum, err := svc.RewrapAll(ctx, env.actor)
		return c.rewrapped(sum, err)
	}
	org, err := env.accounts.FindOrg(ctx, *orgRef)
	if err != nil {
		return err
	}
	if !*reseal {
		return c.rewrapped(rotation.Summary{Orgs: []rotation.OrgResult{svc.RewrapOrg(ctx, org.ID, env.actor)}}, nil)
	}
	res, err := svc.Reseal(ctx, org.ID, env.actor)
	if err != nil {
		return fmt.Errorf("keys rotate: reseal %s: %w", org.Slug, err)
	}
	if res.NoDataKey {
		fmt.Fprintf(c.stdout, "%s (%s): no data key yet, nothing to reseal\n", res.OrgID, res.Slug)
		return nil
	}
	fmt.Fprintf(c.stdout, "%s (%s): new data key under %s (the old one was under %s); resealed %d values (connections: %d, authorization flows: %d)\n",
		res.OrgID, res.Slug, res.To, res.From, res.Sealed, res.Connections, res.Authorizations)
	return nil
}

// rewrapped prints a rewrap's summary: a line per organization rewrapped or
// failed, then the counts. It fails with exit status 1 when an organization
// failed, and passes err (an interruption) on.
func (c *cli) rewrapped(sum rotation.Summary, err error) error {
	for _, r := range sum.Orgs {
		switch r.Outcome {
		case rotation.Rewrapped:
			fmt.Fprintf(c.stdout, "%s (%s): rewrapped from %s to %s\n", r.OrgID, r.Slug, r.From, r.To)
		case rotation.Failed:
			hint := ""
			if errors.Is(r.Err, keyring.ErrUnknownWrapper) {
				hint = "; configure that key as ATTEST_MASTER_KEY_FILE_PREVIOUS or ATTEST_KMS_KEY_ID_PREVIOUS"
			}
			fmt.Fprintf(c.stdout, "%s (%s): FAILED, wrapped by %s: %v%s\n", r.OrgID, r.Slug, r.From, r.Err, hint)
		}
	}
	failed := sum.Count(rotation.Failed)
	fmt.Fprintf(c.stdout, "rewrapped %d, already current %d, no data key yet %d, failed %d\n",
		sum.Count(rotation.Rewrapped), sum.Count(rotation.Current), sum.Count(rotation.NoDataKey), failed)
	if err != nil {
		return err
	}
	if failed > 0 {
		return exitFailure{fmt.Sprintf("keys rotate: %d of %d organizations failed and kept their old wrapping; fix the cause and run it again", failed, len(sum.Orgs))}
	}
	return nil
}
