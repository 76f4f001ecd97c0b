package bench

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/alexedwards/argon2id"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/config"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/testdb"
	"github.com/attesthq/attest/internal/webtest"
	"github.com/attesthq/attest/web"
)

// webServer is attest's web server over a fresh database, as the
// benchmarks that drive it over HTTP need it.
type webServer struct {
	srv    *httptest.Server
	pool   *pgxpool.Pool
	cfg    config.Config
	hasher *auth.Hasher
	clock  clock.Clock
}

// newWebServer starts the server with the minimal configuration plus env,
// the application login role's pool at the configured size, and passwords
// hashed with params; extend adds dependencies before the server is built.
func newWebServer(b *testing.B, env map[string]string, params argon2id.Params, extend func(s *webServer, deps *web.Deps)) *webServer {
	b.Helper()
	tdb := testdb.New(b)
	s := &webServer{srv: httptest.NewServer(nil), clock: clock.Real{}}
	b.Cleanup(s.srv.Close)
	base := map[string]string{
		"DATABASE_URL":           tdb.URL,
		"ATTEST_SESSION_KEYS":    "bench-session-key-0123456789abcdef0123456789",
		"ATTEST_BASE_URL":        s.srv.URL,
		"ATTEST_MASTER_KEY_FILE": filepath.Join(b.TempDir(), "master.key"),
	}
	for k, v := range env {
		base[k] = v
	}
	var err error
	if s.cfg, err = config.Load(func(k string) string { return base[k] }); err != nil {
		b.Fatal(err)
	}
	if s.pool, err = db.Open(context.Background(), tdb.URL, db.Options{AppURL: tdb.AppURL, MaxConns: s.cfg.DBMaxConns}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.pool.Close)
	if s.hasher, err = auth.NewHasher(params); err != nil {
		b.Fatal(err)
	}
	log := (&webtest.Logs{}).Logger()
	deps := web.Deps{Config: s.cfg, Pool: s.pool, Clock: s.clock, Log: log, Connectors: connector.NewRegistry(),
		Auth: &auth.Service{Pool: s.pool, Clock: s.clock, Hasher: s.hasher, Throttle: auth.DefaultThrottle,
			IdleTimeout: s.cfg.SessionIdleTimeout, MaxAge: s.cfg.SessionMaxAge, Log: log}}
	if extend != nil {
		extend(s, &deps)
	}
	app, err := web.New(deps)
	if err != nil {
		b.Fatal(err)
	}
	s.srv.Config.Handler = app.Handler()
	return s
}
