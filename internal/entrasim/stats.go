package entrasim

import (
	"maps"
	"net/http"
	"sync"
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
)

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
}

// statsCounter accumulates a tenant's Stats.
type statsCounter struct {
	mu       sync.Mutex
	families map[Family]FamilyStats
	datasets map[Dataset]int
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

// answered records the status of an answer to a request of family f.
func (c *statsCounter) answered(f Family, status int) {
	if status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
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
	return Stats{Families: maps.Clone(c.families), Datasets: maps.Clone(c.datasets)}
}
