package entrasim

import (
	"log/slog"
	"strings"
	"time"
)

// Options configures a Simulator.
type Options struct {
	// BasePath is the path prefix the handler is mounted at, such as
	// "/_entrasim", or "" for the root. The handler receives full request paths
	// (no http.StripPrefix) and builds absolute links from the request's scheme,
	// Host and BasePath.
	BasePath string
	// Now is the data and token clock: generated data, authorization codes and
	// token lifetimes follow it. Nil means time.Now. Throttling always uses real
	// monotonic time.
	Now func() time.Time
	// Throttle enforces the documented Graph throttling limits.
	Throttle bool
	// Seed makes generated tenants and token lifetimes deterministic.
	Seed int64
	// Tenants are the simulated tenants; empty means one DefaultTenant().
	Tenants []TenantSpec
	// Logger receives request and error logs; nil discards them. Secrets and
	// tokens are never logged.
	Logger *slog.Logger
}

// Licence is a tenant's Microsoft Entra ID licence tier. The zero value is
// LicenceP2.
type Licence string

// The licence tiers the simulator distinguishes.
const (
	// LicenceP2 is Microsoft Entra ID P2: every dataset is available.
	LicenceP2 Licence = "p2"
	// LicenceP1 is Microsoft Entra ID P1: no identity protection (riskyUsers
	// answers 403) and sign-in risk fields read "hidden".
	LicenceP1 Licence = "p1"
	// LicenceFree is Microsoft Entra ID Free: no signInActivity, reports,
	// sign-in logs, Conditional Access or identity protection.
	LicenceFree Licence = "free"
)

func (l Licence) normalized() Licence {
	switch l {
	case LicenceFree, LicenceP1:
		return l
	default:
		return LicenceP2
	}
}

// TenantSpec describes one simulated tenant.
type TenantSpec struct {
	// ID is the tenant (directory) GUID.
	ID string
	// Domain is the tenant's initial domain, such as "contoso-sim.onmicrosoft.com".
	Domain string
	// DisplayName is the organization's name shown on the consent page.
	DisplayName string
	// Licence is the tenant's licence tier (zero value: P2).
	Licence Licence
	// Size sets how much data Generate creates.
	Size Size
	// Apps are the app registrations of the tenant.
	Apps []AppSpec
}

// Size sets how much data Generate creates for a tenant. Zero fields get
// defaults: Users 250, Policies clamp(Users/250, 6, 200), RiskyUsers
// Users/100 and RiskySignIns Users/10. A negative field means none.
type Size struct {
	// Users is the number of users.
	Users int
	// Policies is the number of Conditional Access policies.
	Policies int
	// RiskyUsers is the number of identityProtection riskyUsers.
	RiskyUsers int
	// RiskySignIns is the number of risky sign-ins in the sign-in log; the log
	// also holds as many ordinary (not risky) sign-ins.
	RiskySignIns int
}

func (s Size) withDefaults() Size {
	if s.Users == 0 {
		s.Users = 250
	}
	users := max(s.Users, 0)
	def := func(v, d int) int {
		switch {
		case v == 0:
			return d
		case v < 0:
			return 0
		default:
			return v
		}
	}
	s.Users = users
	s.Policies = def(s.Policies, min(max(users/250, 6), 200))
	s.RiskyUsers = min(def(s.RiskyUsers, users/100), users)
	s.RiskySignIns = def(s.RiskySignIns, users/10)
	return s
}

// AppSpec is an app registration (a confidential web client) in a tenant.
type AppSpec struct {
	// ClientID is the application (client) ID, a GUID.
	ClientID string
	// Secret is the client secret value.
	Secret string
	// RedirectURIs are the registered redirect URIs; authorize and token
	// requests must name one of them exactly.
	RedirectURIs []string
	// DisplayName is the app's name shown on the consent page.
	DisplayName string
}

func normalizeBasePath(p string) string {
	p = strings.TrimRight(p, "/")
	if p != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}
