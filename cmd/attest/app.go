package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"riverqueue.com/riverui"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/alert"
	"github.com/attesthq/attest/internal/assessment"
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
	"github.com/attesthq/attest/internal/metrics"
	"github.com/attesthq/attest/internal/scope"
	"github.com/attesthq/attest/internal/syncer"
	"github.com/attesthq/attest/internal/vault"
	"github.com/attesthq/attest/jobs"
	"github.com/attesthq/attest/web"
)

// app is one running attest process: the composition root wires every
// service here and nowhere else.
type app struct {
	cfg         config.Config
	log         *slog.Logger
	clock       clock.Clock
	pool        *pgxpool.Pool
	web         *web.Server
	simulator   *entrasim.Simulator
	connectors  *connector.Registry
	connections *connection.Service
	river       *river.Client[pgx.Tx]
	// metrics feeds /metrics (served only on cfg.MetricsAddr); jobsUI is
	// the River UI of the operator console, started with the server.
	metrics *metrics.Set
	jobsUI  *riverui.Handler
	// metricsAddr is where /metrics listens, once serve has started.
	metricsAddr string
}

// appOptions are the choices that differ between serve, dev and tests.
type appOptions struct {
	Clock          clock.Clock
	PasswordParams argon2id.Params
	// HTTPClient talks to Microsoft (tests point it at the simulator).
	HTTPClient *http.Client
	// Jobs sizes the job client; zero means the configuration's.
	Jobs jobs.Config
}

func newApp(ctx context.Context, cfg config.Config, log *slog.Logger, opts appOptions) (*app, error) {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	pool, err := db.Open(ctx, cfg.DatabaseURL, db.Options{AppURL: cfg.AppDatabaseURL, MaxConns: cfg.DBMaxConns,
		StatementTimeout: cfg.DBStatementTimeout, IdleInTransactionTimeout: cfg.DBIdleInTransactionTimeout,
		Pooled: cfg.DBPooler != config.PoolerNone})
	if err != nil {
		return nil, err
	}
	if cfg.AppDatabaseURL == "" {
		log.Warn("ATTEST_APP_DATABASE_URL is not set: the application logs in as the schema owner and only switches to " + db.AppRole +
			", which SQL run through it could undo; give it its own login role (README, \"The application login role\")")
	}
	if err := db.CheckReady(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	hasher, err := auth.NewHasher(opts.PasswordParams)
	if err != nil {
		pool.Close()
		return nil, err
	}
	authSvc := &auth.Service{
		Pool: pool, Clock: opts.Clock, Hasher: hasher, Throttle: auth.DefaultThrottle,
		IdleTimeout: cfg.SessionIdleTimeout, MaxAge: cfg.SessionMaxAge, Log: log,
	}
	keys, err := newKeyring(ctx, cfg.Keys, true)
	if err != nil {
		pool.Close()
		return nil, err
	}
	a := &app{cfg: cfg, log: log, clock: opts.Clock, pool: pool,
		metrics: metrics.New(metrics.Options{Pool: pool, Clock: opts.Clock, Log: log,
			ConnectionStates: metrics.Labels(connection.Healths)})}
	callback := func(key string) string { return cfg.URL("/api/integrations/" + key + "/callback") }
	entraOpts := entra.Options{CustomLoginRoot: cfg.EntraLoginRoot, CustomGraphRoot: cfg.EntraGraphRoot}
	if cfg.EntraSimulator {
		a.simulator = entrasim.New(entrasim.Options{
			BasePath: simulatorPath, Now: opts.Clock.Now, Logger: log,
			Tenants: []entrasim.TenantSpec{entrasim.DefaultTenant(callback(entra.Key))},
		})
		entraOpts.SimulatorBase = cfg.URL(simulatorPath)
		entraOpts.SimulatorDefaults = entra.SimulatorRegistration{
			TenantID: entrasim.DefaultTenantID, ClientID: entrasim.DefaultClientID, ClientSecret: entrasim.DefaultClientSecret,
		}
	}
	entraOpts.Now = opts.Clock.Now
	entraOpts.Observer = a.metrics.Provider(entra.Key)
	gh, ghSim := newGitHub(cfg, opts.Clock, log, opts.HTTPClient, a.metrics.Provider(github.Key))
	a.connectors = connector.NewRegistry(entra.New(entraOpts, opts.HTTPClient), gh)
	v := &vault.Vault{Keyring: keys}
	runner := &syncer.Syncer{Pool: pool, Clock: opts.Clock, Vault: v, Registry: a.connectors, Evidence: &evidence.Store{Pool: pool}, Log: log, Metrics: a.metrics}
	jobCfg := opts.Jobs
	if jobCfg.SyncWorkers == 0 {
		jobCfg = jobs.Config{SyncWorkers: cfg.SyncWorkers, SyncTimeout: cfg.SyncTimeout, RescueAfter: cfg.JobRescueAfter,
			Work: cfg.Works(), Periodic: cfg.Works(), PollOnly: cfg.DBPooler != config.PoolerNone}
	}
	var webhook *alert.Webhook
	if cfg.AlertWebhookURL != "" {
		webhook = &alert.Webhook{URL: cfg.AlertWebhookURL, Secret: cfg.AlertWebhookSecret, Client: &http.Client{Timeout: 15 * time.Second}}
	}
	var queue *jobs.Queue
	a.river, queue, err = jobs.NewClient(jobs.Deps{Pool: pool, Clock: opts.Clock, Log: log, Syncer: runner,
		Registry: a.connectors, Webhook: webhook, Metrics: a.metrics}, jobCfg)
	if err != nil {
		pool.Close()
		return nil, err
	}
	if jobCfg.Work {
		a.metrics.WatchJobs(a.river)
	}
	if a.jobsUI, err = web.NewJobsUI(a.river, log); err != nil {
		pool.Close()
		return nil, err
	}
	runner.Hooks = alert.SyncHook{Notify: queue, Now: opts.Clock.Now}
	a.connections = &connection.Service{
		Pool: pool, Clock: opts.Clock, Vault: v, Registry: a.connectors, CallbackURL: callback, Syncs: queue, Alerts: queue,
	}
	documents := &document.Service{Pool: pool, Clock: opts.Clock, MaxBytes: cfg.DocumentMaxBytes, Notify: queue}
	if cfg.DocumentBucket != "" {
		if documents.Store, err = document.LoadS3Store(ctx, cfg.DocumentBucket); err != nil {
			pool.Close()
			return nil, err
		}
	}
	deps := web.Deps{Config: cfg, Pool: pool, Clock: opts.Clock, Log: log, Auth: authSvc,
		Connectors: a.connectors, Connections: a.connections, Jobs: queue,
		Exclusions: &exclusion.Service{Pool: pool, Clock: opts.Clock}, Assessments: &assessment.Service{Pool: pool, Clock: opts.Clock, Registry: a.connectors},
		Documents: documents, Accounts: &account.Service{Pool: pool, Clock: opts.Clock}, Alerts: &alert.Service{Pool: pool, Clock: opts.Clock},
		Scopes: &scope.Service{Pool: pool, Clock: opts.Clock, Registry: a.connectors}}
	deps.Simulators = map[string]http.Handler{}
	if a.simulator != nil {
		deps.Simulators[simulatorPath] = a.simulator
	}
	if ghSim != nil {
		deps.Simulators[githubSimulatorPath] = ghSim
	}
	deps.Metrics, deps.JobsUI = a.metrics, a.jobsUI
	if a.web, err = web.New(deps); err != nil {
		pool.Close()
		return nil, err
	}
	return a, nil
}

// simulatorPath is where the Entra ID simulator is served when enabled.
const simulatorPath = "/_entrasim"

// serve runs what the process's role asks for until ctx ends: the job
// client (jobs, all) and the web application (web, all; a jobs process
// serves only its health checks). Then it drains in-flight requests for up
// to 20 seconds and lets running jobs finish for up to 30 (those still
// running are cancelled and handed back to the queue for another process or
// the next start).
func (a *app) serve(ctx context.Context, ready func(addr string)) error {
	if a.cfg.Works() {
		if err := a.river.Start(context.WithoutCancel(ctx)); err != nil {
			return fmt.Errorf("start jobs: %w", err)
		}
		defer a.stopJobs()
	}
	stopMetrics, err := a.serveMetrics()
	if err != nil {
		return err
	}
	defer stopMetrics()
	handler := a.web.Handler()
	if !a.cfg.Serves() {
		handler = a.web.HealthHandler()
	} else if err := a.jobsUI.Start(ctx); err != nil {
		return fmt.Errorf("start the jobs console: %w", err)
	}
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.cfg.Addr, err)
	}
	httpSrv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      time.Minute, // downloads move their own deadline per chunk (web/mw_export_limit.go)
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := httpSrv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (a *app) stopJobs() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.river.Stop(ctx); err != nil {
		a.log.Warn("jobs did not stop in time; cancelling them", "err", err)
		cancelCtx, cancel2 := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel2()
		_ = a.river.StopAndCancel(cancelCtx)
	}
}

func (a *app) close() { a.pool.Close() }
