package entrasim

import (
	"crypto/rand"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Simulator is the Microsoft identity platform and Microsoft Graph simulator.
// It is an http.Handler serving everything under Options.BasePath.
type Simulator struct {
	base     string
	now      func() time.Time
	throttle bool
	log      *slog.Logger
	tenants  []*Tenant
	byKey    map[string]*Tenant // lowercased tenant ID and domain
	mux      *http.ServeMux
	// cursorKey authenticates $skiptoken values.
	cursorKey []byte
	// mono is the throttling clock (real monotonic time).
	mono func() time.Time

	rngMu sync.Mutex
	rng   *mrand.Rand // access-token lifetimes

	accessMu sync.Mutex
	access   map[string]*accessGrant
}

// New builds a Simulator and generates its tenants. It panics if a TenantSpec
// has no valid GUID ID or no Domain, or if two tenants share an ID or domain.
func New(opts Options) *Simulator {
	s := &Simulator{
		base:      normalizeBasePath(opts.BasePath),
		now:       opts.Now,
		throttle:  opts.Throttle,
		log:       opts.Logger,
		byKey:     map[string]*Tenant{},
		cursorKey: make([]byte, 32),
		mono:      time.Now,
		rng:       mrand.New(mrand.NewPCG(uint64(opts.Seed), 0x70ce)),
		access:    map[string]*accessGrant{},
	}
	_, _ = rand.Read(s.cursorKey)
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	specs := opts.Tenants
	if len(specs) == 0 {
		specs = []TenantSpec{DefaultTenant()}
	}
	for _, spec := range specs {
		if err := uuid.Validate(spec.ID); err != nil || spec.Domain == "" {
			panic("entrasim: tenant spec needs a GUID ID and a Domain: " + spec.ID)
		}
		t := newTenant(opts.Seed, spec, s.now)
		for _, k := range []string{t.id, t.domain} {
			if s.byKey[k] != nil {
				panic("entrasim: duplicate tenant " + k)
			}
			s.byKey[k] = t
		}
		s.tenants = append(s.tenants, t)
	}
	s.routes()
	return s
}

func (s *Simulator) routes() {
	s.mux = http.NewServeMux()
	login := s.base + "/login"
	s.mux.HandleFunc("GET "+login+"/_sim.css", s.serveCSS)
	s.mux.HandleFunc("GET "+login+"/{tenant}/oauth2/v2.0/authorize", s.authorizePage)
	s.mux.HandleFunc("POST "+login+"/{tenant}/oauth2/v2.0/authorize", s.authorizeDecision)
	s.mux.HandleFunc(login+"/{tenant}/oauth2/v2.0/token", s.token)
	s.mux.HandleFunc("GET "+login+"/{tenant}/v2.0/adminconsent", s.adminConsentPage)
	s.mux.HandleFunc("POST "+login+"/{tenant}/v2.0/adminconsent", s.adminConsentDecision)
	s.mux.HandleFunc(s.base+"/graph/", s.serveGraph)
}

// ServeHTTP serves the identity platform under {BasePath}/login and Graph
// under {BasePath}/graph.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.log.DebugContext(r.Context(), "entrasim: request", "method", r.Method, "path", r.URL.Path)
	s.mux.ServeHTTP(w, r)
}

// Tenant returns the tenant with the given ID or domain, or nil.
func (s *Simulator) Tenant(id string) *Tenant {
	return s.byKey[strings.ToLower(id)]
}

// Tenants returns every simulated tenant in Options order.
func (s *Simulator) Tenants() []*Tenant {
	return append([]*Tenant(nil), s.tenants...)
}

// tokenLifetime draws an access-token lifetime in seconds, deterministic from
// the seed: Microsoft's default is random between 60 and 90 minutes.
func (s *Simulator) tokenLifetime() int {
	s.rngMu.Lock()
	defer s.rngMu.Unlock()
	return minTokenLifetime + s.rng.IntN(maxTokenLifetime-minTokenLifetime+1)
}

// origin is the request's own scheme and host: the scheme from
// X-Forwarded-Proto or r.TLS, the host from r.Host.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ","); p != "" {
		if p = strings.ToLower(strings.TrimSpace(p)); p == "http" || p == "https" {
			scheme = p
		}
	}
	return scheme + "://" + r.Host
}

// loginRoot is the identity platform root as seen by r.
func (s *Simulator) loginRoot(r *http.Request) string { return origin(r) + s.base + "/login" }

// graphRoot is the Graph root as seen by r; scopes name it as their resource.
func (s *Simulator) graphRoot(r *http.Request) string { return origin(r) + s.base + "/graph" }
