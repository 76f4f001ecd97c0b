package web_test

import (
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/alexedwards/argon2id"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"riverqueue.com/riverui"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/alert"
	"github.com/attesthq/attest/internal/assessment"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/config"
	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/connector/github"
	"github.com/attesthq/attest/internal/document"
	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/evidence"
	"github.com/attesthq/attest/internal/exclusion"
	"github.com/attesthq/attest/internal/githubsim"
	"github.com/attesthq/attest/internal/keyring"
	"github.com/attesthq/attest/internal/pgcluster"
	"github.com/attesthq/attest/internal/scope"
	"github.com/attesthq/attest/internal/syncer"
	"github.com/attesthq/attest/internal/testdb"
	"github.com/attesthq/attest/internal/vault"
	"github.com/attesthq/attest/internal/webtest"
	"github.com/attesthq/attest/jobs"
	"github.com/attesthq/attest/web"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// Passwords of the accounts setup creates.
const (
	ownerEmail    = "owner@acme.test"
	auditorEmail  = "auditor@acme.test"
	ownerPassword = "correct horse battery staple"
	auditPassword = "auditor passphrase 2026"
)

// cheapParams keep argon2id fast under the race detector; production uses
// auth.ProductionParams.
var cheapParams = argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

var q = dbsqlc.New()

type bundle struct {
	tdb      *testdb.DB
	clock    *clock.Fake
	srv      *httptest.Server
	logs     *webtest.Logs
	accounts *account.Service
	hasher   *auth.Hasher
	org      dbsqlc.Organization
	app      *web.Server
	sim      *entrasim.Simulator
	// github is the GitHub simulator (setupGitHub only).
	github *githubsim.Simulator
	// microsoft records every response attest received from the simulator.
	microsoft *webtest.Recorder
	// syncer runs syncs directly (the web tests' job client only inserts).
	syncer *syncer.Syncer
	// jobsUI is the operator console's River UI, not started (ops tests
	// start it).
	jobsUI *riverui.Handler
}

func setup(t *testing.T) *bundle {
	t.Helper()
	return setupWith(t, nil)
}

// setupWith is setup with extra environment variables (limits a test
// makes small, say).
func setupWith(t *testing.T, extraEnv map[string]string) *bundle {
	t.Helper()
	return setupBundle(t, extraEnv, false)
}

// setupGitHub is setup with the GitHub connector registered too, its
// simulator served under /_githubsim (b.github).
func setupGitHub(t *testing.T) *bundle {
	t.Helper()
	return setupBundle(t, nil, true)
}

func setupBundle(t *testing.T, extraEnv map[string]string, withGitHub bool) *bundle {
	t.Helper()
	tdb := testdb.New(t)
	clk := clock.NewFake(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	hasher, err := auth.NewHasher(cheapParams)
	require.NoError(t, err)
	srv := httptest.NewServer(nil)
	t.Cleanup(srv.Close)
	env := map[string]string{
		"ATTEST_APP_DATABASE_URL": tdb.AppURL, // the application's own login role

		"DATABASE_URL":           tdb.URL,
		"ATTEST_SESSION_KEYS":    "test-session-key-0123456789abcdef0123456789",
		"ATTEST_BASE_URL":        srv.URL,
		"ATTEST_MASTER_KEY_FILE": filepath.Join(t.TempDir(), "master.key"),
	}
	maps.Copy(env, extraEnv)
	cfg, err := config.Load(func(k string) string { return env[k] })
	require.NoError(t, err)
	logs := &webtest.Logs{}
	log := logs.Logger()
	authSvc := &auth.Service{Pool: tdb.Pool, Clock: clk, Hasher: hasher, Throttle: auth.DefaultThrottle,
		IdleTimeout: cfg.SessionIdleTimeout, MaxAge: cfg.SessionMaxAge, Log: log}
	wrapper, err := keyring.OpenLocalKeyFile(cfg.MasterKeyFile, true)
	require.NoError(t, err)
	callback := func(key string) string { return cfg.URL("/api/integrations/" + key + "/callback") }
	recorder := &webtest.Recorder{Base: srv.Client().Transport}
	sim := entrasim.New(entrasim.Options{BasePath: "/_entrasim", Now: clk.Now, Tenants: []entrasim.TenantSpec{entrasim.DefaultTenant(callback(entra.Key))}})
	registry := connector.NewRegistry(entra.New(entra.Options{
		SimulatorBase:     srv.URL + "/_entrasim",
		SimulatorDefaults: entra.SimulatorRegistration{TenantID: entrasim.DefaultTenantID, ClientID: entrasim.DefaultClientID, ClientSecret: entrasim.DefaultClientSecret},
	}, &http.Client{Transport: recorder}))
	var ghSim *githubsim.Simulator
	simulators := map[string]http.Handler{"/_entrasim": sim}
	if withGitHub {
		ghSim = githubsim.New(githubsim.Options{BasePath: "/_githubsim"})
		gh := github.New(srv.Client())
		gh.Simulated = &github.Simulated{APIRoot: ghSim.APIRoot(srv.URL), WebRoot: ghSim.WebRoot(srv.URL), Org: githubsim.DefaultOrgLogin}
		registry = connector.NewRegistry(append(registry.All(), gh)...)
		simulators["/_githubsim"] = ghSim
	}
	v := &vault.Vault{Keyring: keyring.New(wrapper)}
	runner := &syncer.Syncer{Pool: tdb.Pool, Clock: clk, Vault: v, Registry: registry, Evidence: &evidence.Store{Pool: tdb.Pool}, Log: log}
	riverClient, queue, err := jobs.NewClient(jobs.Deps{Pool: tdb.Pool, Clock: clk, Log: log, Syncer: runner, Registry: registry},
		jobs.Config{SyncWorkers: 1, SyncTimeout: time.Minute, RescueAfter: 2 * time.Minute})
	require.NoError(t, err)
	jobsUI, err := web.NewJobsUI(riverClient, log)
	require.NoError(t, err)
	runner.Hooks = alert.SyncHook{Notify: queue, Now: clk.Now}
	connections := &connection.Service{Pool: tdb.Pool, Clock: clk, Vault: v, Registry: registry, CallbackURL: callback, Syncs: queue, Alerts: queue}
	app, err := web.New(web.Deps{Config: cfg, Pool: tdb.Pool, Clock: clk, Log: log, Auth: authSvc,
		Connectors: registry, Connections: connections, Simulators: simulators, Jobs: queue,
		Exclusions: &exclusion.Service{Pool: tdb.Pool, Clock: clk}, Assessments: &assessment.Service{Pool: tdb.Pool, Clock: clk, Registry: registry},
		Documents: &document.Service{Pool: tdb.Pool, Clock: clk, MaxBytes: cfg.DocumentMaxBytes, TempDir: t.TempDir(), Notify: queue},
		Accounts:  &account.Service{Pool: tdb.Pool, Clock: clk}, Alerts: &alert.Service{Pool: tdb.Pool, Clock: clk},
		Scopes: &scope.Service{Pool: tdb.Pool, Clock: clk, Registry: registry},
		JobsUI: jobsUI})
	require.NoError(t, err)
	srv.Config.Handler = app.Handler()

	b := &bundle{tdb: tdb, clock: clk, srv: srv, logs: logs, accounts: &account.Service{Pool: tdb.Pool, Clock: clk}, hasher: hasher, app: app, sim: sim, github: ghSim, microsoft: recorder, syncer: runner, jobsUI: jobsUI}
	b.org, err = b.accounts.CreateOrg(context.Background(), "Acme Corp", "acme", audit.SystemActor("test"))
	require.NoError(t, err)
	b.member(t, b.org.ID, ownerEmail, ownerPassword, account.RoleOwner, nil)
	expires := clk.Now().Add(30 * 24 * time.Hour)
	b.member(t, b.org.ID, auditorEmail, auditPassword, account.RoleAuditor, &expires)
	return b
}

func (b *bundle) member(t *testing.T, org uuid.UUID, email, password, role string, expires *time.Time) dbsqlc.User {
	t.Helper()
	u, err := b.accounts.AddMember(context.Background(), b.hasher, org, account.Member{
		Email: email, Password: password, Role: role, ExpiresAt: expires,
	}, audit.SystemActor("test"))
	require.NoError(t, err)
	return u
}

func (b *bundle) client(t *testing.T) *webtest.Client { return webtest.NewClient(t, b.srv.URL) }

// auditActions lists the organization's audit actions, oldest first.
func (b *bundle) auditActions(t *testing.T, org uuid.UUID) []string {
	t.Helper()
	var actions []string
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, org, func(tx pgx.Tx) error {
		rows, err := q.AuditChainPage(context.Background(), tx, dbsqlc.AuditChainPageParams{OrgID: org, AfterSeq: 0, MaxRows: 10000})
		for _, r := range rows {
			actions = append(actions, r.Action)
		}
		return err
	}))
	return actions
}

func countOf(list []string, want string) int {
	n := 0
	for _, s := range list {
		if s == want {
			n++
		}
	}
	return n
}

// setStatus changes a connection's status behind the application's back, as
// a failed sync would.
func setStatus(t *testing.T, b *bundle, connID uuid.UUID, status string) {
	t.Helper()
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `UPDATE connections SET status = $2 WHERE id = $1`, connID, status)
		return err
	}))
}

// pgDump finds pg_dump beside the server binaries.
func pgDump(t *testing.T) string {
	t.Helper()
	dir, err := pgcluster.FindBinDir()
	require.NoError(t, err)
	return filepath.Join(dir, "pg_dump")
}

type goquerySelection = goquery.Selection

// sync runs one sync of the connection as the job would.
func (b *bundle) sync(t *testing.T, connID uuid.UUID) syncer.Outcome {
	t.Helper()
	out, err := b.syncer.Run(context.Background(), syncer.Request{OrgID: b.org.ID, ConnectionID: connID, Trigger: "schedule", Attempt: 1})
	require.NoError(t, err)
	return out
}
