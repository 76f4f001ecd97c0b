package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/auth"
)

func (c *cli) user(ctx context.Context, args []string) error {
	args, err := c.subcommand(args, "create", "user create --email EMAIL --org ORG --role owner|admin|auditor --password-stdin")
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	email := fs.String("email", "", "the user's email address (required)")
	orgRef := fs.String("org", "", "organization id or slug (required)")
	role := fs.String("role", "", "owner, admin or auditor (required)")
	name := fs.String("name", "", "display name")
	expires := fs.Duration("expires", 0, "auditor access lasts this long, e.g. 720h (auditors only)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (required)")
	if err := c.parseFlags(fs, args); err != nil {
		return err
	}
	if *email == "" || *orgRef == "" || *role == "" {
		return fmt.Errorf("user create: --email, --org and --role are required")
	}
	// No account is created without a password: a passwordless account
	// would wait for whoever first chose one for it.
	if !*pwStdin {
		return fmt.Errorf("user create: --password-stdin is required: every account gets its password when it is created")
	}
	password, err := readPassword(c.stdin)
	if err != nil {
		return err
	}
	env, err := c.openDB(ctx)
	if err != nil {
		return err
	}
	defer env.close()
	org, err := env.accounts.FindOrg(ctx, *orgRef)
	if err != nil {
		return err
	}
	hasher, err := auth.NewHasher(auth.ProductionParams)
	if err != nil {
		return err
	}
	m := account.Member{Email: *email, DisplayName: *name, Password: password, Role: *role}
	if *expires > 0 {
		t := time.Now().Add(*expires)
		m.ExpiresAt = &t
	}
	user, err := env.accounts.AddMember(ctx, hasher, org.ID, m, env.actor)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, user.ID)
	fmt.Fprintf(c.stderr, "%s is now %s of %s\n", user.Email, m.Role, org.Slug)
	return nil
}

func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", fmt.Errorf("--password-stdin: standard input held no password")
	}
	return pw, nil
}
