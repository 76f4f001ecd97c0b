package web

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/google/uuid"
	"github.com/gorilla/sessions"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/alert"
	"github.com/attesthq/attest/internal/assessment"
	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/config"
	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/document"
	"github.com/attesthq/attest/internal/exclusion"
	"github.com/attesthq/attest/internal/logctx"
	"github.com/attesthq/attest/internal/metrics"
	"github.com/attesthq/attest/internal/orgview"
	"github.com/attesthq/attest/internal/scope"
	"github.com/attesthq/attest/internal/syncer"
)

// Deps are the services the web layer needs, wired by cmd/attest.
type Deps struct {
	Config config.Config
	Pool   *pgxpool.Pool
	Clock  clock.Clock
	Log    *slog.Logger
	Auth   *auth.Service
	// Connectors are the integrations offered; Connections runs their lifecycle.
	Connectors  *connector.Registry
	Connections *connection.Service
	// Simulators are the providers' simulators served in development, by
	// path prefix (such as "/_entrasim").
	Simulators map[string]http.Handler
	// Jobs queues syncs ("Sync now").
	Jobs SyncQueue
	// Exclusions excuses subjects from checks.
	Exclusions *exclusion.Service
	// Assessments runs the assessment workflow.
	Assessments *assessment.Service
	// Documents keeps the documents people provide and their files.
	Documents *document.Service
	// Accounts manages organizations, members and invitations.
	Accounts *account.Service
	// Alerts acknowledges alerts.
	Alerts *alert.Service
	// Scopes marks criteria not applicable and names controls' owners.
	Scopes *scope.Service
	// Metrics, when set, counts requests by route pattern and status.
	Metrics *metrics.Set
	// JobsUI, when set, is the River UI (NewJobsUI) served to platform
	// operators under /ops/jobs/.
	JobsUI http.Handler
}

// SyncQueue queues a sync inside the caller's transaction and reports false
// when one is already queued or running.
type SyncQueue interface {
	SyncNow(ctx context.Context, tx pgx.Tx, orgID, connID uuid.UUID, trigger syncer.Trigger) (bool, error)
}

// Server is attest's web application.
type Server struct {
	Deps
	echo    *echo.Echo
	cookies *sessions.CookieStore
	// exports counts the downloads running (limitExports).
	exports *exportLimiter
	// views keeps what the dashboard and control pages are built from, by
	// organization and read version.
	views *orgview.Cache
	// table is what the route table declared for each route ("METHOD
	// pattern"); written once by routes, read by guards.
	table map[string]routeInfo
}

// New builds the server and its route table.
func New(d Deps) (*Server, error) {
	store, err := cookieStore(d.Config)
	if err != nil {
		return nil, err
	}
	// Every line logged with a request's context carries its id, whoever
	// built the logger.
	d.Log = slog.New(logctx.Handler(d.Log.Handler()))
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.Logger.SetOutput(slogWriter{d.Log})
	e.IPExtractor = ipExtractor(d.Config)
	s := &Server{Deps: d, echo: e, cookies: store, exports: newExportLimiter(d.Config.Exports.Total, d.Config.Exports.PerOrg),
		views: &orgview.Cache{Pool: d.Pool, Registry: d.Connectors}}
	e.HTTPErrorHandler = s.handleError
	s.routes()
	return s, nil
}

// Handler returns the HTTP handler serving every route.
func (s *Server) Handler() http.Handler { return s.echo }

// Echo exposes the router, for tests that enumerate the route table.
func (s *Server) Echo() *echo.Echo { return s.echo }

func ipExtractor(c config.Config) echo.IPExtractor {
	if len(c.TrustedProxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range c.TrustedProxies {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// cookieStore derives an authentication and an encryption key from each
// configured session key (newest first), so old cookies stay readable while
// keys rotate.
func cookieStore(c config.Config) (*sessions.CookieStore, error) {
	var pairs [][]byte
	for _, k := range c.SessionKeys {
		hashKey, err := hkdf.Key(sha256.New, k, nil, "attest session cookie hmac", 32)
		if err != nil {
			return nil, fmt.Errorf("web: derive session key: %w", err)
		}
		blockKey, err := hkdf.Key(sha256.New, k, nil, "attest session cookie aes", 32)
		if err != nil {
			return nil, fmt.Errorf("web: derive session key: %w", err)
		}
		pairs = append(pairs, hashKey, blockKey)
	}
	store := sessions.NewCookieStore(pairs...)
	store.Options = &sessions.Options{
		Path:     "/",
		HttpOnly: true,
		Secure:   c.SecureCookies(),
		SameSite: http.SameSiteLaxMode,
	}
	store.MaxAge(int(c.SessionMaxAge.Seconds()))
	return store, nil
}

// slogWriter sends Echo's own rare log lines to slog.
type slogWriter struct{ log *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	w.log.Warn("echo", "message", string(p))
	return len(p), nil
}
