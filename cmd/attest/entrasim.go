package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/attesthq/attest/internal/entrasim"
)

// entrasim runs the Microsoft identity platform + Graph simulator on its own,
// for trying attest against "another Microsoft-compatible server" through
// ATTEST_ENTRA_LOGIN_URL and ATTEST_ENTRA_GRAPH_URL.
func (c *cli) entrasim(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("entrasim", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8950", "listen address")
	users := fs.Int("users", entrasim.DefaultUsers, "users in the generated tenant")
	seed := fs.Int64("seed", 1, "seed of the generated tenant")
	throttle := fs.Bool("throttle", false, "enforce Microsoft Graph's documented throttling limits")
	redirects := fs.String("redirect-uri", "http://localhost:3000/api/integrations/entra/callback", "comma-separated redirect URIs of the demo app registration")
	if err := c.parseFlags(fs, args); err != nil {
		return err
	}
	if *users < 1 {
		return fmt.Errorf("entrasim: --users must be at least 1")
	}
	spec := entrasim.DefaultTenant(strings.Split(*redirects, ",")...)
	spec.Size.Users = *users
	sim := entrasim.New(entrasim.Options{Seed: *seed, Throttle: *throttle, Tenants: []entrasim.TenantSpec{spec}})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(c.stdout, "Entra ID simulator (not Microsoft) on %s\n\n", base)
	fmt.Fprintf(c.stdout, "  ATTEST_ENTRA_LOGIN_URL=%s/login\n  ATTEST_ENTRA_GRAPH_URL=%s/graph\n\n", base, base)
	fmt.Fprintf(c.stdout, "  directory (tenant) ID   %s (%s)\n  application (client) ID %s\n  client secret           %s\n  users                   %d\n",
		entrasim.DefaultTenantID, entrasim.DefaultTenantDomain, entrasim.DefaultClientID, entrasim.DefaultClientSecret, *users)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
