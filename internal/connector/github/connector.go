package github

import (
	"github.com/attesthq/attest/internal/connector"
)

// This file is the connector's adaptation surface to the platform
// (internal/connector): everything else in the package speaks the
// platform's types only through what is declared here. The connector
// platform issue (#15) gives checks parameters, definitions an auth kind
// and rate limits; until it lands these are declared locally.

// Param is a parameter a check declares (default and range), shown and
// edited on the connection page.
type Param struct {
	Key     string
	Label   string
	Default int
	Min     int
	Max     int
}

// value is the parameter's value from params, its default when absent or
// out of range.
func (p Param) value(params map[string]int) int {
	v, ok := params[p.Key]
	if !ok || v < p.Min || v > p.Max {
		return p.Default
	}
	return v
}

// CheckSpec is a check and the parameters it declares.
type CheckSpec struct {
	connector.Check
	Params []Param
}

// AuthKind is how the connector authenticates: an App installation with a
// private key and short-lived installation tokens.
const AuthKind = "app_installation"

// RateLimits are GitHub's documented limits, for the platform's pacing:
// serial requests per installation, the primary budget read from
// x-ratelimit-* headers, secondary limits honoured by retry-after, else
// x-ratelimit-reset, else at least a minute with backoff.
var RateLimits = struct {
	Concurrency int
	Retry       Retry
}{Concurrency: 1, Retry: DefaultRetry}

// Connector is the GitHub connector's provider side: its definition,
// datasets and checks. The platform's registry wiring (connect flow,
// credential sealing, the sync job) comes with the platform issue.
type Connector struct{}

// Definition describes the connector for every page.
func (Connector) Definition() connector.Definition { return definition }

// Datasets lists what a sync reads, in order.
func (Connector) Datasets() []connector.Dataset { return datasets }

// Checks lists what a sync evaluates.
func (Connector) Checks() []connector.Check {
	out := make([]connector.Check, len(checks))
	for i, c := range checks {
		out[i] = c.Check
	}
	return out
}

// CheckSpecs lists the checks with their parameters.
func (Connector) CheckSpecs() []CheckSpec { return checks }
