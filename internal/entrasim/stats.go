package entrasim

import (
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Family is a group of endpoints that Microsoft throttles together.
type Family string

// The endpoint families counted in Stats.
const (
	// FamilyLogin is the identity platform's token endpoint.
	FamilyLogin Family = "login"
	// FamilyDirectory is /users without signInActivity (resource-unit limits).
	FamilyDirectory Family = "directory"
	// FamilyReports is the identity and access reports: userRegistrationDetails,
	// signIns and /users requests that select signInActivity.
	FamilyReports Family = "reports"
	// FamilyProtection is identity protection and Conditional Access:
	// riskyUsers and conditionalAccess policies.
	FamilyProtection Family = "protection"
	// FamilySignInActivity is /users requests that select signInActivity,
	// which count in FamilyReports as well. Only Request.Families names it.
	FamilySignInActivity Family = "signInActivity"
)

// Request is one request a tenant received: a Graph list request or a
// token request (FamilyLogin).
type Request struct {
	// At is when it arrived, on the throttling clock (real time).
	At time.Time
	// Dataset is the collection it read.
	Dataset Dataset
	// Families are every throttling family it counts in.
	Families []Family
	// Status is the answer's status (0 when the client went away first).
	Status int
	// RetryAfter is the answer's Retry-After header ("" for none).
	RetryAfter string
}

// maxRequests bounds the request log; older requests are forgotten.
const maxRequests = 100_000

// FamilyStats counts the requests of one endpoint family.
type FamilyStats struct {
	// Requests is every request that reached the family, whatever its outcome.
	Requests int
	// TooManyRequests is the number of 429 answers (throttling or faults).
	TooManyRequests int
	// ServiceUnavailable is the number of 503 answers (faults).
	ServiceUnavailable int
}

// Stats is a snapshot of a tenant's request counters.
type Stats struct {
	// Families holds the counters per endpoint family.
	Families map[Family]FamilyStats
	// Datasets holds the number of requests per dataset.
	Datasets map[Dataset]int
	// Requests are the last requests in arrival order (at most 100,000), so
	// a test can assert on the schedule.
	Requests []Request
}

// statsCounter accumulates a tenant's Stats.
type statsCounter struct {
	mu       sync.Mutex
	families map[Family]FamilyStats
	datasets map[Dataset]int
	requests []Request
}

func newStatsCounter() *statsCounter {
	return &statsCounter{families: map[Family]FamilyStats{}, datasets: map[Dataset]int{}}
}

func (c *statsCounter) request(f Family, d Dataset) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fs := c.families[f]
	fs.Requests++
	c.families[f] = fs
	c.datasets[d]++
}

// answered records the answer to a request of family f.
func (c *statsCounter) answered(f Family, r Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.requests) == maxRequests {
		c.requests = slices.Delete(c.requests, 0, maxRequests/10)
	}
	c.requests = append(c.requests, r)
	status := r.Status
	if status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
		return
	}
	fs := c.families[f]
	if status == http.StatusTooManyRequests {
		fs.TooManyRequests++
	} else {
		fs.ServiceUnavailable++
	}
	c.families[f] = fs
}

func (c *statsCounter) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Families: maps.Clone(c.families), Datasets: maps.Clone(c.datasets), Requests: slices.Clone(c.requests)}
}
