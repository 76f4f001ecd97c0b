// Package synctest builds a complete sync environment for tests and
// benchmarks: a migrated database, the Entra ID simulator on a real HTTP
// server, the connector, the vault and the syncer, and connections created
// through the real OAuth flow against the simulator; optionally the fake
// connector (connectortest) beside it, for tests of the platform itself.
package synctest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/connector/connectortest"
	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/evidence"
	"github.com/attesthq/attest/internal/keyring"
	"github.com/attesthq/attest/internal/syncer"
	"github.com/attesthq/attest/internal/testdb"
	"github.com/attesthq/attest/internal/vault"
)

// Options shape the environment.
type Options struct {
	// Tenant is the simulated tenant; zero means the demo tenant with 250 users.
	Tenant entrasim.TenantSpec
	// Throttle makes the simulator enforce Graph's documented limits.
	Throttle bool
	// Limits paces the client; nil means no pacing (tests), &entra.DocumentedLimits paces as production.
	Limits *entra.Limits
	// Retry overrides the retry policy (default: fast, for tests).
	Retry *entra.RetryPolicy
	// DB reuses a database (benchmarks); nil creates one.
	DB *testdb.DB
	// Start is the clock's start.
	Start time.Time
	// SimulatorURL points at a simulator running in another process (serving
	// Tenant under /sim, with its demo app registered for the test callback);
	// empty runs one in this process.
	SimulatorURL string
	// KeyFile is the local master-key file (created if missing); empty means
	// a new one in a temporary directory.
	KeyFile string
	// Fake, when set, is registered beside the Entra connector.
	Fake *connectortest.Connector
	// Others are further connectors registered after them.
	Others []connector.Connector
}

// FastRetry retries quickly so tests of throttling and outages stay fast.
var FastRetry = entra.RetryPolicy{MaxRetries: 6, Budget: 10 * time.Second, BaseDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond,
	RequestTimeout: 5 * time.Second, MaxPageBytes: 64 << 20}

// NoLimits lets tests run at full speed: no family has a window.
var NoLimits entra.Limits

// Env is a sync environment.
type Env struct {
	DB    *testdb.DB
	Clock *clock.Fake
	// Sim is the in-process simulator; nil with an external one.
	Sim          *entrasim.Simulator
	SimulatorURL string
	Connector    *entra.Connector
	Fake         *connectortest.Connector
	Registry     *connector.Registry
	Vault        *vault.Vault
	Services     *connection.Service
	Syncer       *syncer.Syncer
	Accounts     *account.Service
	Org          dbsqlc.Organization
	Owner        dbsqlc.User
	tenantID     string
}

// New builds an environment with one organization and its owner.
func New(t testing.TB, opts Options) *Env {
	t.Helper()
	if opts.DB == nil {
		opts.DB = testdb.New(t)
	}
	if opts.Start.IsZero() {
		opts.Start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	}
	spec := opts.Tenant
	if spec.ID == "" {
		spec = entrasim.DefaultTenant()
	}
	clk := clock.NewFake(opts.Start)
	callback := func(string) string { return Callback }
	simURL := opts.SimulatorURL
	var sim *entrasim.Simulator
	transport := http.DefaultTransport
	if simURL == "" {
		srv := httptest.NewServer(nil)
		t.Cleanup(srv.Close)
		sim = NewSimulator(spec, opts.Throttle, clk.Now)
		srv.Config.Handler = sim
		simURL, transport = srv.URL, srv.Client().Transport
	}
	limits, retry := NoLimits, FastRetry
	if opts.Limits != nil {
		limits = *opts.Limits
	}
	if opts.Retry != nil {
		retry = *opts.Retry
	}
	conn := entra.New(entra.Options{CustomLoginRoot: simURL + "/sim/login", CustomGraphRoot: simURL + "/sim/graph",
		Limits: &limits, Retry: &retry, Now: clk.Now}, &http.Client{Transport: transport})
	if opts.KeyFile == "" {
		opts.KeyFile = filepath.Join(t.TempDir(), "master.key")
	}
	wrapper, err := keyring.OpenLocalKeyFile(opts.KeyFile, true)
	require.NoError(t, err)
	cs := []connector.Connector{conn}
	if opts.Fake != nil {
		cs = append(cs, opts.Fake)
	}
	cs = append(cs, opts.Others...)
	registry := connector.NewRegistry(cs...)
	v := &vault.Vault{Keyring: keyring.New(wrapper)}
	e := &Env{
		DB: opts.DB, Clock: clk, Sim: sim, SimulatorURL: simURL, Connector: conn, Fake: opts.Fake, Registry: registry, Vault: v,
		Services: &connection.Service{Pool: opts.DB.Pool, Clock: clk, Vault: v, Registry: registry, CallbackURL: callback},
		Syncer:   &syncer.Syncer{Pool: opts.DB.Pool, Clock: clk, Vault: v, Registry: registry, Evidence: &evidence.Store{Pool: opts.DB.Pool}},
		Accounts: &account.Service{Pool: opts.DB.Pool, Clock: clk},
		tenantID: spec.ID,
	}
	e.Org, err = e.Accounts.CreateOrg(context.Background(), "Acme "+uuid.NewString()[:8], "", audit.SystemActor("test"))
	require.NoError(t, err)
	require.NoError(t, db.InOrg(context.Background(), opts.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		e.Owner, err = dbsqlc.New().UserCreate(context.Background(), tx, dbsqlc.UserCreateParams{Email: "owner-" + uuid.NewString()[:8] + "@acme.test"})
		return err
	}))
	return e
}

// Callback is the redirect URI the simulated app registration accepts.
const Callback = "https://attest.test/api/integrations/entra/callback"

// NewSimulator serves spec with the test callback registered.
func NewSimulator(spec entrasim.TenantSpec, throttle bool, now func() time.Time) *entrasim.Simulator {
	for i := range spec.Apps {
		spec.Apps[i].RedirectURIs = append(spec.Apps[i].RedirectURIs, Callback)
	}
	return entrasim.New(entrasim.Options{BasePath: "/sim", Now: now, Throttle: throttle, Tenants: []entrasim.TenantSpec{spec}, Seed: 7})
}

// Tenant is the in-process simulated tenant.
func (e *Env) Tenant() *entrasim.Tenant { return e.Sim.Tenant(e.tenantID) }

// User is the owner acting through a fixed session.
func (e *Env) User() connection.User {
	return connection.User{ID: e.Owner.ID, Email: e.Owner.Email, SessionHash: make([]byte, 32)}
}

// Connect creates an active connection through the real OAuth flow: the
// wizard's setup, the simulator's consent page and the callback.
func (e *Env) Connect(t testing.TB) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	setup, errs := e.Connector.ParseForm(url.Values{
		"cloud": {entra.CloudCustom}, "tenant": {e.tenantID}, "client_id": {entrasim.DefaultClientID}, "client_secret": {entrasim.DefaultClientSecret},
	})
	require.Empty(t, errs)
	authorize, connID, err := e.Services.Start(ctx, e.Org.ID, e.User(), entra.Key, setup)
	require.NoError(t, err)
	params := e.Consent(t, authorize.URL)
	out, err := e.Services.Complete(ctx, entra.Key, e.User(), params)
	require.NoError(t, err)
	require.Nil(t, out.Problem)
	return connID
}

// ConnectFake creates an active connection of the fake connector (a static
// token: active as soon as its form is saved).
func (e *Env) ConnectFake(t testing.TB, directory string) uuid.UUID {
	t.Helper()
	setup, errs := e.Fake.ParseForm(url.Values{"directory": {directory}, "token": {"fake-token"}})
	require.Empty(t, errs)
	target, connID, err := e.Services.Start(context.Background(), e.Org.ID, e.User(), connectortest.Key, setup)
	require.NoError(t, err)
	require.Empty(t, target, "a static token needs no browser round-trip")
	return connID
}

// Consent accepts the simulator's consent page and returns the callback's
// query parameters.
func (e *Env) Consent(t testing.TB, authorizeURL string) url.Values {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(authorizeURL)
	require.NoError(t, err)
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	action, _ := doc.Find("form").Attr("action")
	flow, _ := doc.Find(`input[name="flow"]`).Attr("value")
	if !strings.HasPrefix(action, "http") {
		action = e.SimulatorURL + action
	}
	resp, err = client.PostForm(action, url.Values{"flow": {flow}, "decision": {"accept"}})
	require.NoError(t, err)
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	return loc.Query()
}

// Sync runs one sync of the connection.
func (e *Env) Sync(t testing.TB, connID uuid.UUID) (syncer.Outcome, error) {
	t.Helper()
	return e.Syncer.Run(context.Background(), syncer.Request{OrgID: e.Org.ID, ConnectionID: connID, Trigger: syncer.TriggerManual, Attempt: 1})
}

// Count runs a count query in the organization's scope.
func (e *Env) Count(t testing.TB, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, db.InOrg(context.Background(), e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), query, args...).Scan(&n)
	}))
	return n
}
