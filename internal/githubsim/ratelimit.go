package githubsim

import (
	"net/http"
	"strconv"
	"time"
)

// The documented primary limit of installation tokens (github.md section
// 8): at least 5,000 an hour, 50 more for each repository and each user
// above 20, at most 12,500; 15,000 on GitHub Enterprise Cloud.
const (
	primaryMin        = 5000
	primaryPerExtra   = 50
	primaryFreeAbove  = 20
	primaryCap        = 12500
	primaryEnterprise = 15000
	primaryWindow     = time.Hour
)

// The documented secondary limit per REST endpoint: 900 points a minute, a
// GET costing 1.
const (
	endpointPoints = 900
	endpointWindow = time.Minute
)

// budget is one installation's primary limit in the current hour.
type budget struct {
	limit int
	used  int
	reset time.Time
}

// budgetOf returns inst's budget, starting a new hour when the last one
// has passed.
func (s *Simulator) budgetOf(inst *installation, now time.Time) *budget {
	b := s.budgets[inst.id]
	if b == nil || !now.Before(b.reset) {
		b = &budget{limit: s.primaryLimit(), reset: now.Add(primaryWindow).Truncate(time.Second)}
		s.budgets[inst.id] = b
	}
	return b
}

// primaryLimit is the documented hourly limit of an installation on the
// organization.
func (s *Simulator) primaryLimit() int {
	if s.rateLimit > 0 {
		return s.rateLimit
	}
	return PrimaryLimit(s.org.Plan, len(s.org.Repos), s.org.users())
}

// PrimaryLimit is GitHub's documented hourly limit of an installation token
// on an organization with that plan, repositories and users.
func PrimaryLimit(plan Plan, repos, users int) int {
	if plan == PlanEnterprise {
		return primaryEnterprise
	}
	extra := max(repos-primaryFreeAbove, 0) + max(users-primaryFreeAbove, 0)
	return min(primaryMin+primaryPerExtra*extra, primaryCap)
}

// Throttle is an injected secondary rate limit: the next Times token
// requests are refused with Status (403 or 429) and GitHub's secondary-limit
// message. RetryAfter, when not zero, is sent as retry-after (seconds);
// ResetIn, when not zero, sends x-ratelimit-remaining 0 and an
// x-ratelimit-reset that far ahead. With neither the client has nothing to
// go by and must wait at least a minute.
type Throttle struct {
	Status     int
	RetryAfter time.Duration
	ResetIn    time.Duration
	Times      int
}

// Throttle queues an injected secondary limit.
func (s *Simulator) Throttle(t Throttle) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.Status == 0 {
		t.Status = http.StatusForbidden
	}
	s.throttles = append(s.throttles, t)
}

// RateLimit returns an installation's primary limit as the headers would
// tell it now: the limit, what is used and when the hour resets.
func (s *Simulator) RateLimit(installationID int64) (limit, used int, reset time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b := s.budgets[installationID]; b != nil {
		return b.limit, b.used, b.reset
	}
	return s.primaryLimit(), 0, time.Time{}
}

// minuteWindow is the sliding window of one endpoint's points.
type minuteWindow struct{ at []time.Time }

// secondary answers a secondary-limit refusal (an injected one, else the
// endpoint's 900 points a minute) and reports whether it did. A refused
// request does not count against the primary limit.
func (s *Simulator) secondary(c *call) bool {
	if len(s.throttles) > 0 {
		t := &s.throttles[0]
		if t.Times--; t.Times <= 0 {
			s.throttles = s.throttles[1:]
		}
		h := c.w.Header()
		if t.RetryAfter > 0 {
			h.Set("Retry-After", strconv.Itoa(int(t.RetryAfter/time.Second)))
		}
		c.rateHeaders()
		if t.ResetIn > 0 {
			h.Set("X-Ratelimit-Remaining", "0")
			h.Set("X-Ratelimit-Reset", strconv.FormatInt(c.now.Add(t.ResetIn).Unix(), 10))
		}
		writeError(c.w, t.Status, msgSecondary)
		return true
	}
	win := s.endpoints[c.pattern]
	if win == nil {
		win = &minuteWindow{}
		s.endpoints[c.pattern] = win
	}
	drop := 0
	for drop < len(win.at) && !c.now.Before(win.at[drop].Add(endpointWindow)) {
		drop++
	}
	win.at = win.at[drop:]
	if len(win.at) >= endpointPoints {
		wait := win.at[0].Add(endpointWindow).Sub(c.now)
		c.w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		c.fail(http.StatusForbidden, msgSecondary)
		return true
	}
	win.at = append(win.at, c.now)
	return false
}
