// Package config reads attest's configuration from the environment, validates
// every value and reports all problems at once with the variable's name.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/attesthq/attest/internal/secret"
)

// Config is the validated configuration of one attest process.
type Config struct {
	// DatabaseURL names the PostgreSQL role that owns the schema.
	DatabaseURL string
	// AppDatabaseURL, when set, names the application's own login role,
	// which owns nothing; unset, the application logs in as the owner and
	// switches role (with a warning at startup).
	AppDatabaseURL string
	// DBMaxConns caps the application connection pool.
	DBMaxConns int32
	// DBPooler names the connection pooler ATTEST_APP_DATABASE_URL goes
	// through: PoolerNone or PoolerPgBouncer (transaction mode).
	DBPooler string
	// DBStatementTimeout and DBIdleInTransactionTimeout bound every
	// statement and every idle open transaction of the application pool.
	DBStatementTimeout         time.Duration
	DBIdleInTransactionTimeout time.Duration
	// Exports bounds the downloads streamed from the database.
	Exports ExportLimits
	// Addr is the listen address of the web server.
	Addr string
	// MetricsAddr, when set, is the separate listen address of /metrics
	// (Prometheus); it is never served on Addr.
	MetricsAddr string
	// BaseURL is the public origin users reach attest at, without a trailing slash.
	BaseURL *url.URL
	// SessionKeys holds the session-cookie keys, newest first.
	SessionKeys [][]byte
	// SessionIdleTimeout ends a session after this long without a request.
	SessionIdleTimeout time.Duration
	// SessionMaxAge ends a session this long after sign-in, whatever its activity.
	SessionMaxAge time.Duration
	// LogFormat is "text" or "json".
	LogFormat string
	// LogLevel is the minimum level logged.
	LogLevel string
	// Keys names the key-encryption keys (current and, during a rotation,
	// previous).
	Keys
	// EntraSimulator serves the built-in Entra ID simulator under /_entrasim/
	// and offers it in the connect wizard.
	EntraSimulator bool
	// GitHubSimulator serves the built-in GitHub simulator under
	// /_githubsim/ and offers its organization in the connect wizard.
	GitHubSimulator bool
	// EntraLoginRoot and EntraGraphRoot, both set, add a "Custom endpoints"
	// cloud to the connect wizard.
	EntraLoginRoot string
	EntraGraphRoot string
	// AlertWebhookURL, when set, receives every alert event, signed with
	// AlertWebhookSecret.
	AlertWebhookURL    string
	AlertWebhookSecret secret.String
	// TrustedProxies are the networks whose X-Forwarded-For header is believed
	// when deciding a client's address; empty means use the TCP peer.
	TrustedProxies []*net.IPNet
	// Role is what this process runs: RoleAll, RoleWeb or RoleJobs.
	Role string
	// SyncWorkers is how many syncs a jobs process runs at once.
	SyncWorkers int
	// SyncTimeout bounds one sync; JobRescueAfter hands a job whose process
	// died back to the queue, and must exceed SyncTimeout.
	SyncTimeout    time.Duration
	JobRescueAfter time.Duration
	// DocumentMaxBytes bounds one uploaded document file.
	DocumentMaxBytes int64
	// DocumentBucket, when set, keeps document files in this S3-compatible
	// bucket (configured by the standard AWS environment) instead of
	// PostgreSQL.
	DocumentBucket string
}

// Process roles: several replicas share one database, and each runs the web
// server, the jobs, or both.
const (
	RoleAll  = "all"
	RoleWeb  = "web"
	RoleJobs = "jobs"
)

// Connection poolers the application database URL may go through.
const (
	PoolerNone      = "none"
	PoolerPgBouncer = "pgbouncer"
)

// Serves reports whether the process serves the web application.
func (c Config) Serves() bool { return c.Role != RoleJobs }

// Works reports whether the process works jobs (and, when it is the elected
// leader, runs the periodic ones).
func (c Config) Works() bool { return c.Role != RoleWeb }

// Getenv looks a variable up; os.Getenv satisfies it.
type Getenv func(string) string

// minSessionKeyLen is the shortest accepted session key, in bytes.
const minSessionKeyLen = 32

// Load reads and validates the configuration. The error lists every invalid
// variable, one per line.
func Load(getenv Getenv) (Config, error) {
	p := parser{getenv: getenv}
	c := Config{
		DatabaseURL:        p.required("DATABASE_URL", "a PostgreSQL connection URL such as postgres://attest@localhost/attest"),
		DBMaxConns:         int32(p.intRange("ATTEST_DB_MAX_CONNS", 20, 4, 500)),
		Addr:               p.addr("ATTEST_ADDR", ":3000"),
		MetricsAddr:        p.optionalAddr("ATTEST_METRICS_ADDR"),
		BaseURL:            p.baseURL("ATTEST_BASE_URL", "http://localhost:3000"),
		SessionKeys:        p.sessionKeys("ATTEST_SESSION_KEYS"),
		SessionIdleTimeout: p.duration("ATTEST_SESSION_IDLE_TIMEOUT", time.Hour),
		SessionMaxAge:      p.duration("ATTEST_SESSION_MAX_AGE", 12*time.Hour),
		LogFormat:          p.oneOf("ATTEST_LOG_FORMAT", "text", "text", "json"),
		LogLevel:           p.oneOf("ATTEST_LOG_LEVEL", "info", "debug", "info", "warn", "error"),
		TrustedProxies:     p.cidrs("ATTEST_TRUSTED_PROXIES"),
		Role:               p.oneOf("ATTEST_ROLE", RoleAll, RoleAll, RoleWeb, RoleJobs),
		SyncWorkers:        p.intRange("ATTEST_SYNC_WORKERS", 4, 1, 64),
		SyncTimeout:        p.duration("ATTEST_SYNC_TIMEOUT", 20*time.Minute),
		JobRescueAfter:     p.duration("ATTEST_JOB_RESCUE_AFTER", 25*time.Minute),
		Keys:               p.keys(),
		EntraSimulator:     p.boolean("ATTEST_ENTRA_SIMULATOR", false),
		GitHubSimulator:    p.boolean("ATTEST_GITHUB_SIMULATOR", false),
		EntraLoginRoot:     p.get("ATTEST_ENTRA_LOGIN_URL", ""),
		EntraGraphRoot:     p.get("ATTEST_ENTRA_GRAPH_URL", ""),
		AlertWebhookURL:    p.get("ATTEST_ALERT_WEBHOOK_URL", ""),
		AlertWebhookSecret: secret.New(p.get("ATTEST_ALERT_WEBHOOK_SECRET", "")),
		DocumentMaxBytes:   int64(p.intRange("ATTEST_DOCUMENT_MAX_BYTES", 25<<20, 1<<10, 1<<30)),
		DocumentBucket:     p.get("ATTEST_DOCUMENT_BUCKET", ""),
	}
	c.AppDatabaseURL = p.get("ATTEST_APP_DATABASE_URL", "")
	c.DBPooler = p.oneOf("ATTEST_DB_POOLER", PoolerNone, PoolerNone, PoolerPgBouncer)
	if c.DBPooler != PoolerNone && c.AppDatabaseURL == "" {
		p.fail("ATTEST_DB_POOLER", "needs ATTEST_APP_DATABASE_URL: behind a transaction pooler the application logs in as its own role, "+
			"since a SET ROLE would not outlive one transaction (DATABASE_URL stays direct, for migrations)")
	}
	c.DBStatementTimeout = p.duration("ATTEST_DB_STATEMENT_TIMEOUT", time.Minute)
	c.DBIdleInTransactionTimeout = p.duration("ATTEST_DB_IDLE_IN_TRANSACTION_TIMEOUT", time.Minute)
	c.Exports = p.exportLimits(int(c.DBMaxConns))
	if c.AlertWebhookURL != "" {
		if u, err := url.Parse(c.AlertWebhookURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.fail("ATTEST_ALERT_WEBHOOK_URL", "must be an absolute http(s) URL")
		}
		if len(c.AlertWebhookSecret.Reveal()) < 16 {
			p.fail("ATTEST_ALERT_WEBHOOK_SECRET", "is required with ATTEST_ALERT_WEBHOOK_URL: at least 16 characters the receiver uses to verify signatures")
		}
	}
	if (c.EntraLoginRoot == "") != (c.EntraGraphRoot == "") {
		p.fail("ATTEST_ENTRA_LOGIN_URL", "and ATTEST_ENTRA_GRAPH_URL must be set together")
	}
	for name, v := range map[string]string{"ATTEST_ENTRA_LOGIN_URL": c.EntraLoginRoot, "ATTEST_ENTRA_GRAPH_URL": c.EntraGraphRoot} {
		if u, err := url.Parse(v); v != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "") {
			p.fail(name, "must be an absolute http(s) URL (a host root, optionally with a path prefix), got %q", v)
		}
	}
	c.EntraLoginRoot = strings.TrimSuffix(c.EntraLoginRoot, "/")
	c.EntraGraphRoot = strings.TrimSuffix(c.EntraGraphRoot, "/")
	if c.JobRescueAfter <= c.SyncTimeout {
		p.fail("ATTEST_JOB_RESCUE_AFTER", "must exceed ATTEST_SYNC_TIMEOUT (%s), or a slow sync would be run twice", c.SyncTimeout)
	}
	if c.MetricsAddr != "" && sharesPort(c.MetricsAddr, c.Addr) {
		p.fail("ATTEST_METRICS_ADDR", "must not be the public listener ATTEST_ADDR (%s): metrics are served on an address of their own, such as 127.0.0.1:9090", c.Addr)
	}
	if c.SessionIdleTimeout > c.SessionMaxAge {
		p.fail("ATTEST_SESSION_IDLE_TIMEOUT", "must not exceed ATTEST_SESSION_MAX_AGE")
	}
	if len(p.errs) > 0 {
		return Config{}, fmt.Errorf("config: invalid environment:\n%w", errors.Join(p.errs...))
	}
	return c, nil
}

// SecureCookies reports whether cookies must carry the Secure attribute.
func (c Config) SecureCookies() bool { return c.BaseURL.Scheme == "https" }

// URL joins path to the base URL.
func (c Config) URL(path string) string {
	return strings.TrimSuffix(c.BaseURL.String(), "/") + path
}

type parser struct {
	getenv Getenv
	errs   []error
}

func (p *parser) fail(name, format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
}

func (p *parser) get(name, def string) string {
	if v := strings.TrimSpace(p.getenv(name)); v != "" {
		return v
	}
	return def
}

func (p *parser) required(name, what string) string {
	v := p.get(name, "")
	if v == "" {
		p.fail(name, "is required: set it to %s", what)
	}
	return v
}

func (p *parser) intRange(name string, def, lo, hi int) int {
	raw := p.get(name, strconv.Itoa(def))
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		p.fail(name, "must be a whole number from %d to %d, got %q", lo, hi, raw)
		return def
	}
	return n
}

func (p *parser) duration(name string, def time.Duration) time.Duration {
	raw := p.get(name, def.String())
	d, err := time.ParseDuration(raw)
	if err != nil || d <= 0 {
		p.fail(name, "must be a positive duration such as 30m or 12h, got %q", raw)
		return def
	}
	return d
}

func (p *parser) oneOf(name, def string, allowed ...string) string {
	v := strings.ToLower(p.get(name, def))
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	p.fail(name, "must be one of %s, got %q", strings.Join(allowed, ", "), v)
	return def
}

func (p *parser) addr(name, def string) string {
	v := p.get(name, def)
	if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
		p.fail(name, "must be host:port or :port, got %q", v)
	}
	return v
}

// optionalAddr is a host:port, or empty when the variable is unset.
func (p *parser) optionalAddr(name string) string {
	if p.get(name, "") == "" {
		return ""
	}
	return p.addr(name, "")
}

// sharesPort reports whether two listen addresses would claim the same
// port on some interface (equal hosts, or either one all interfaces).
func sharesPort(a, b string) bool {
	ha, pa, errA := net.SplitHostPort(a)
	hb, pb, errB := net.SplitHostPort(b)
	if errA != nil || errB != nil || pa != pb || pa == "0" {
		return false
	}
	wildcard := func(h string) bool { return h == "" || h == "0.0.0.0" || h == "::" }
	return ha == hb || wildcard(ha) || wildcard(hb)
}

func (p *parser) baseURL(name, def string) *url.URL {
	raw := strings.TrimSuffix(p.get(name, def), "/")
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/") {
		p.fail(name, "must be an absolute http(s) origin without path, query or credentials, such as https://attest.example.com, got %q", raw)
		u, _ = url.Parse(def)
	}
	u.Path = ""
	return u
}

func (p *parser) boolean(name string, def bool) bool {
	raw := p.get(name, strconv.FormatBool(def))
	v, err := strconv.ParseBool(raw)
	if err != nil {
		p.fail(name, "must be true or false, got %q", raw)
		return def
	}
	return v
}

func (p *parser) cidrs(name string) []*net.IPNet {
	var nets []*net.IPNet
	for _, raw := range strings.Split(p.get(name, ""), ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		_, n, err := net.ParseCIDR(raw)
		if err != nil {
			p.fail(name, "%q is not a CIDR such as 10.0.0.0/8", raw)
			continue
		}
		nets = append(nets, n)
	}
	return nets
}

func (p *parser) sessionKeys(name string) [][]byte {
	raw := p.get(name, "")
	if raw == "" {
		p.fail(name, "is required: set it to one or more comma-separated random strings of at least %d characters, newest first (for example the output of `openssl rand -hex 32`)", minSessionKeyLen)
		return nil
	}
	var keys [][]byte
	for i, k := range strings.Split(raw, ",") {
		k = strings.TrimSpace(k)
		if len(k) < minSessionKeyLen {
			p.fail(name, "key %d is %d characters long; each key needs at least %d", i+1, len(k), minSessionKeyLen)
			continue
		}
		keys = append(keys, []byte(k))
	}
	return keys
}

// DatabaseURL reads just DATABASE_URL, for commands that need nothing else.
func DatabaseURL(getenv Getenv) (string, error) {
	p := parser{getenv: getenv}
	u := p.required("DATABASE_URL", "a PostgreSQL connection URL such as postgres://attest@localhost/attest")
	if len(p.errs) > 0 {
		return "", fmt.Errorf("config: %w", errors.Join(p.errs...))
	}
	return u, nil
}
