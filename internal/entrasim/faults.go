package entrasim

import (
	"context"
	"sync"
	"time"
)

// Dataset names a simulated endpoint for faults and statistics.
type Dataset string

// The datasets.
const (
	// DatasetUsers is GET /users.
	DatasetUsers Dataset = "users"
	// DatasetRegistrations is GET /reports/authenticationMethods/userRegistrationDetails.
	DatasetRegistrations Dataset = "userRegistrationDetails"
	// DatasetPolicies is GET /identity/conditionalAccess/policies.
	DatasetPolicies Dataset = "conditionalAccessPolicies"
	// DatasetRiskyUsers is GET /identityProtection/riskyUsers.
	DatasetRiskyUsers Dataset = "riskyUsers"
	// DatasetSignIns is GET /auditLogs/signIns.
	DatasetSignIns Dataset = "signIns"
	// DatasetToken is POST /{tenant}/oauth2/v2.0/token.
	DatasetToken Dataset = "token"
)

// Fault is a scripted misbehaviour of one dataset. Faults are queued per
// tenant and dataset and consumed in order: the head of the queue applies to
// the first request whose page index equals Page, Times times. Faults apply
// after authentication and scope checks; a request that consumes a fault is
// not charged against the throttling limits.
type Fault struct {
	// Dataset is the endpoint that misbehaves.
	Dataset Dataset
	// Status, if not zero, is the HTTP status answered with the endpoint's
	// error body: Graph's error shape for Graph datasets (the documented 429
	// body for 429), the identity platform's for DatasetToken.
	Status int
	// RetryAfter is the Retry-After header value ("" for none); it may be
	// fractional, such as "0.05".
	RetryAfter string
	// Times is how many matching requests the fault applies to (0 means 1).
	Times int
	// Delay is slept before answering; a cancelled request context ends the
	// wait and the request gets no answer.
	Delay time.Duration
	// Malformed answers 200 with a truncated, invalid JSON body.
	Malformed bool
	// Page is the page index the fault applies to: 0 is a request without
	// $skiptoken (the first page), N the page reached after following N
	// nextLinks. Token requests are always page 0.
	Page int
	// Reached, when set, is sent a value (never blocking: give it a buffer)
	// each time the fault applies, before its delay, so a test knows the
	// request has arrived without watching the clock.
	Reached chan<- struct{}
}

// arrived tells Reached that the fault applies now.
func (f Fault) arrived() {
	if f.Reached == nil {
		return
	}
	select {
	case f.Reached <- struct{}{}:
	default:
	}
}

// faultQueue holds a tenant's pending faults.
type faultQueue struct {
	mu     sync.Mutex
	queues map[Dataset][]Fault
}

func (q *faultQueue) push(f Fault) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if f.Times <= 0 {
		f.Times = 1
	}
	if q.queues == nil {
		q.queues = map[Dataset][]Fault{}
	}
	q.queues[f.Dataset] = append(q.queues[f.Dataset], f)
}

// take consumes one application of the head fault of d if it targets page.
func (q *faultQueue) take(d Dataset, page int) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	queue := q.queues[d]
	if len(queue) == 0 || queue[0].Page != page {
		return Fault{}, false
	}
	f := queue[0]
	queue[0].Times--
	if queue[0].Times == 0 {
		q.queues[d] = queue[1:]
	}
	return f, true
}

// sleep waits for d or until ctx ends; it reports whether the wait completed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
