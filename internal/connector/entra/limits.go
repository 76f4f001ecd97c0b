package entra

import (
	"time"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/connector/pace"
)

// Limits and Window are the platform's pacing types, named here so the
// connector's options read as before.
type (
	Limits = pace.Limits
	Window = pace.Window
)

// Graph's throttling families, each with its documented limit.
const (
	familyDirectory      pace.Family = iota // users without signInActivity: resource units
	familyReports                           // identity and access reports: 5 requests per 10 s per app per tenant
	familySignInActivity                    // GET signInActivity: 10 requests per minute
	familyProtection                        // identity protection and conditional access: 1 request per second per tenant
	familyCount
)

// familyNames label the families in metrics.
var familyNames = [familyCount]string{
	familyDirectory:      "directory",
	familyReports:        "reports",
	familySignInActivity: "sign_in_activity",
	familyProtection:     "protection",
}

// familySources are the families' names for people and where Microsoft
// documents each limit.
var familySources = [familyCount][2]string{
	familyDirectory:      {"Directory (users), resource units", "https://learn.microsoft.com/en-us/graph/throttling-limits#identity-and-access-service-limits"},
	familyReports:        {"Identity and access reports", "https://learn.microsoft.com/en-us/graph/throttling-limits#identity-and-access-reports-service-limits"},
	familySignInActivity: {"Sign-in activity", "https://learn.microsoft.com/en-us/graph/api/resources/signinactivity"},
	familyProtection:     {"Identity protection and conditional access", "https://learn.microsoft.com/en-us/graph/throttling-limits#identity-protection-and-conditional-access-service-limits"},
}

// documentedRateLimits declares the pacing table in the definition.
func documentedRateLimits() []connector.RateLimit {
	out := make([]connector.RateLimit, 0, familyCount)
	for f, w := range DocumentedLimits.Windows {
		out = append(out, connector.RateLimit{Family: familySources[f][0], N: w.N, W: w.W, Source: familySources[f][1]})
	}
	return out
}

// DocumentedLimits are Microsoft's documented limits as they are written.
// The directory budget is the smallest tenant's (3,500 resource units per
// 10 s), as a sync cannot know the tenant's size before it reads it. The
// margin lengthens every window by at most a twentieth of itself.
var DocumentedLimits = Limits{
	Windows: []Window{
		familyDirectory:      {N: 3500, W: 10 * time.Second},
		familyReports:        {N: 5, W: 10 * time.Second},
		familySignInActivity: {N: 10, W: time.Minute},
		familyProtection:     {N: 1, W: time.Second},
	},
	Margin: 250 * time.Millisecond,
}

// The demands of the endpoints a sync reads.
var (
	demandReports    = pace.Demand{Families: []pace.Family{familyReports}}
	demandActivity   = pace.Demand{Families: []pace.Family{familyReports, familySignInActivity}}
	demandProtection = pace.Demand{Families: []pace.Family{familyProtection}}
	// demandDirectory is GET /users with $select and $top of 20 or more:
	// 2 units, less 1 for $select.
	demandDirectory = pace.Demand{Families: []pace.Family{familyDirectory}, Units: 1}
)

// demandLabel names the family a request counts under in metrics: the
// last, the most restrictive.
func demandLabel(d pace.Demand) string { return familyNames[d.Families[len(d.Families)-1]] }
