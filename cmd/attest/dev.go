package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/internal/config"
)

// runDev is what `make run` calls: everything a new user needs, with
// embedded defaults, on one machine.
func (c *cli) dev(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	dataDir := fs.String("data", ".data", "directory for the local cluster, keys and demo logins")
	if err := c.parseFlags(fs, args); err != nil {
		return err
	}
	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		return err
	}
	// 0711: the postgres user may pass through to the cluster directory, but
	// nobody else may list what is here; the key files themselves are 0600.
	if err := os.MkdirAll(dir, 0o711); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o711); err != nil {
		return err
	}
	addr := c.getenv("ATTEST_ADDR")
	if addr == "" {
		addr = devAddr
	}
	baseURL, err := devBaseURL(addr)
	if err != nil {
		return err
	}
	if err := checkPortFree(addr); err != nil {
		return err
	}
	defaults := map[string]string{"ATTEST_ADDR": devAddr, "ATTEST_BASE_URL": baseURL}
	var local *localDatabase
	if c.getenv("DATABASE_URL") == "" {
		if local, err = startLocalDatabase(ctx, c.stderr, dir); err != nil {
			return err
		}
		defer func() {
			fmt.Fprintln(c.stderr, "stopping the local PostgreSQL cluster…")
			if err := local.cluster.Stop(context.Background(), false); err != nil {
				fmt.Fprintln(c.stderr, "attest:", err)
			}
		}()
		defaults["DATABASE_URL"] = local.ownerURL
		defaults["ATTEST_APP_DATABASE_URL"] = local.appURL
	}
	key, err := secretFile(filepath.Join(dir, "session.key"))
	if err != nil {
		return err
	}
	defaults["ATTEST_SESSION_KEYS"] = key
	defaults["ATTEST_MASTER_KEY_FILE"] = filepath.Join(dir, "master.key")
	defaults["ATTEST_ENTRA_SIMULATOR"] = "true"
	defaults["ATTEST_GITHUB_SIMULATOR"] = "true"
	cfg, err := config.Load(withDefaults(c.getenv, defaults))
	if err != nil {
		return err
	}
	again := &bannerAgain{w: c.stderr, quiet: 2 * time.Second}
	defer again.stop()
	log := newDevLogger(again, cfg.LogFormat, cfg.LogLevel)
	if err := db.Migrate(ctx, cfg.DatabaseURL, log); err != nil {
		return err
	}
	if local != nil {
		if err := local.ensureAppLogin(ctx); err != nil {
			return err
		}
	}
	a, err := newApp(ctx, cfg, log, appOptions{PasswordParams: auth.ProductionParams})
	if err != nil {
		return err
	}
	defer a.close()
	logins, err := seedDemo(ctx, a, filepath.Join(dir, "demo-logins.json"))
	if err != nil {
		return err
	}
	again.again = func() { printBanner(c.stdout, cfg, logins, dir) }
	return a.serve(ctx, func(string) {
		printBanner(c.stdout, cfg, logins, dir)
		again.arm()
	})
}

// withDefaults layers defaults under the environment.
func withDefaults(getenv config.Getenv, defaults map[string]string) config.Getenv {
	return func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return defaults[k]
	}
}

// secretFile returns the hex secret stored in path, creating it (0600) with 32
// random bytes on first use.
func secretFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err == nil && len(b) >= 64 {
		return string(b[:64]), nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	s := hex.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return s, nil
}

func printBanner(w io.Writer, cfg config.Config, logins []demoLogin, dir string) {
	fmt.Fprintf(w, "\n  attest is running at %s\n\n", cfg.BaseURL)
	for _, l := range logins {
		fmt.Fprintf(w, "  %-9s %s  password: %s\n", l.Label+":", l.Email, l.Password)
	}
	fmt.Fprintf(w, "\n  Data, keys and these logins live in %s. Press Ctrl-C to stop.\n\n", dir)
}
