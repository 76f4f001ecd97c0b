package githubsim

import (
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/attesthq/attest/internal/clock"
)

// Simulator is the GitHub REST API simulator, an http.Handler serving the
// API under {BasePath}/api/v3 and the manifest and installation pages under
// {BasePath}.
type Simulator struct {
	base  string
	api   string
	clock clock.Clock
	log   *slog.Logger
	mux   *http.ServeMux
	// inflight counts requests being served, for the concurrency limit.
	inflight atomic.Int32

	mu        sync.Mutex
	org       *Org
	apps      map[int64]*app
	installs  map[int64]*installation
	tokens    map[string]*token
	codes     map[string]*manifestCode
	rateLimit int
	budgets   map[int64]*budget
	endpoints map[string]*minuteWindow
	throttles []Throttle
	requests  map[string]int
	// withoutAccept counts API requests without the recommended Accept.
	withoutAccept int
	nextID        int64
}

// New builds a Simulator with its organization, its App and the App's
// installation on the organization (all repositories).
func New(opts Options) *Simulator {
	s := &Simulator{
		base: normalizeBasePath(opts.BasePath), clock: opts.Clock, log: opts.Logger, org: opts.Org,
		apps: map[int64]*app{}, installs: map[int64]*installation{}, tokens: map[string]*token{},
		codes: map[string]*manifestCode{}, rateLimit: opts.RateLimit, budgets: map[int64]*budget{},
		endpoints: map[string]*minuteWindow{}, requests: map[string]int{}, nextID: 200000,
	}
	s.api = s.base + "/api/v3"
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.org == nil {
		s.org = DefaultOrg(s.clock.Now(), Size{})
	}
	spec := DefaultApp()
	if opts.App != nil {
		own := *opts.App // the caller's spec is left as given
		spec = &own
	}
	if spec.Key == nil {
		spec.Key = DemoKey()
	}
	s.apps[spec.ID] = newApp(*spec, s.org.Login)
	s.installs[DefaultInstallationID] = &installation{id: DefaultInstallationID, appID: spec.ID, selection: "all",
		permissions: s.apps[spec.ID].spec.Permissions, created: s.clock.Now()}
	s.routes()
	return s
}

func (s *Simulator) routes() {
	s.mux = http.NewServeMux()
	a := s.api
	s.mux.HandleFunc("POST "+a+"/app-manifests/{code}/conversions", s.open(s.convertManifest))
	s.mux.HandleFunc("GET "+a+"/app", s.withJWT(s.getApp))
	s.mux.HandleFunc("GET "+a+"/app/installations", s.withJWT(s.listInstallations))
	s.mux.HandleFunc("GET "+a+"/app/installations/{id}", s.withJWT(s.getInstallation))
	s.mux.HandleFunc("GET "+a+"/orgs/{org}/installation", s.withJWT(s.getOrgInstallation))
	s.mux.HandleFunc("POST "+a+"/app/installations/{id}/access_tokens", s.withJWT(s.createToken))
	s.data("GET /installation/repositories", "metadata", s.installationRepos)
	s.data("GET /orgs/{org}", "", s.getOrg)
	s.data("GET /orgs/{org}/members", "members", s.listMembers)
	s.data("GET /orgs/{org}/outside_collaborators", "members", s.listOutsideCollaborators)
	s.data("GET /orgs/{org}/repos", "metadata", s.listRepos)
	s.data("GET /repos/{owner}/{repo}/collaborators", "metadata", s.listRepoCollaborators)
	s.data("GET /repos/{owner}/{repo}/branches/{branch}/protection", "administration", s.getProtection)
	s.data("GET /repos/{owner}/{repo}/rules/branches/{branch}", "metadata", s.getBranchRules)
	s.data("GET /orgs/{org}/dependabot/alerts", "vulnerability_alerts", s.listAlerts)
	s.mux.HandleFunc(a+"/", s.open(func(c *call) { c.fail(http.StatusNotFound, msgNotFound) }))
	s.mux.HandleFunc("POST "+s.base+"/organizations/{org}/settings/apps/new", s.manifestPage)
	s.mux.HandleFunc("GET "+s.base+"/apps/{slug}/installations/new", s.installPage)
}

// ServeHTTP serves the API and the web pages.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.log.DebugContext(r.Context(), "githubsim: request", "method", r.Method, "path", r.URL.Path)
	s.mux.ServeHTTP(w, r)
}

// APIRoot is the REST API root for a server at origin (scheme and host),
// such as "http://127.0.0.1:8951/_githubsim/api/v3".
func (s *Simulator) APIRoot(origin string) string { return strings.TrimSuffix(origin, "/") + s.api }

// WebRoot is the web root for a server at origin (where the manifest and
// installation pages live).
func (s *Simulator) WebRoot(origin string) string { return strings.TrimSuffix(origin, "/") + s.base }

// Requests returns how many requests reached each endpoint (by route
// pattern, such as "GET /orgs/{org}/repos"), 304s included.
func (s *Simulator) Requests() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.requests)
}

// RequestsWithoutAccept counts API requests that did not send the
// recommended Accept: application/vnd.github+json. GitHub serves them
// anyway; a conformance run expects none.
func (s *Simulator) RequestsWithoutAccept() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.withoutAccept
}

// origin is the request's own scheme and host.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	return scheme + "://" + r.Host
}

// now is the simulator's clock.
func (s *Simulator) now() time.Time { return s.clock.Now() }
