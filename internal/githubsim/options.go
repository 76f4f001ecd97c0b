package githubsim

import (
	"crypto/rsa"
	"log/slog"
	"strings"

	"github.com/attesthq/attest/internal/clock"
)

// Options configures a Simulator.
type Options struct {
	// BasePath is the path prefix the handler is mounted at, such as
	// "/_githubsim", or "" for the root. The REST API is served under
	// {BasePath}/api/v3 (the GitHub Enterprise Server layout, so clients
	// prove their API root is configurable) and the web pages of the manifest
	// and installation flows under {BasePath}.
	BasePath string
	// Clock drives JWT checks, token lifetimes, rate-limit windows and the
	// demo data's dates. Nil means the wall clock.
	Clock clock.Clock
	// Org is the simulated organization; nil means DefaultOrg(now, Size{}).
	Org *Org
	// App is the pre-registered App, installed on Org with every
	// repository as DefaultInstallationID; nil means DefaultApp(). A nil
	// Key is DemoKey().
	App *AppSpec
	// RateLimit overrides the documented primary limit per installation
	// per hour (0: computed from the organization as documented).
	RateLimit int
	// Logger receives request logs; nil discards them. Tokens and keys are
	// never logged.
	Logger *slog.Logger
}

// AppSpec registers a GitHub App.
type AppSpec struct {
	ID            int64
	Slug          string
	Name          string
	ClientID      string
	ClientSecret  string
	WebhookSecret string
	// Key is the App's private key; the simulator keeps only its public half
	// for verifying JWTs (and this value, to hand it out as GitHub's manifest
	// conversion does, once).
	Key *rsa.PrivateKey
	// Permissions are the App's read-only permissions.
	Permissions map[string]string
	// SetupURL is where the installation flow redirects.
	SetupURL string
	// RedirectURL is where the manifest flow redirects with the code.
	RedirectURL string
	// Public Apps may be installed on any account; private ones on their
	// owner only.
	Public bool
}

// Permissions is the minimal read-only set of github.md section 14, which
// the demo App is granted.
func Permissions() map[string]string {
	return map[string]string{
		"metadata": "read", "administration": "read", "vulnerability_alerts": "read",
		"members": "read", "organization_administration": "read", "organization_plan": "read",
	}
}

func normalizeBasePath(p string) string {
	p = strings.TrimRight(p, "/")
	if p != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}
