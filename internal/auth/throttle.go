package auth

import (
	"time"
)

// Throttle is the sign-in throttling policy. Failures are counted per account
// (since its last success) and per client address within Window. After
// SlowAfter failures each further attempt must wait twice as long as the
// previous one; at LockAfter failures the account or address is locked for
// LockFor.
type Throttle struct {
	Window           time.Duration
	AccountSlowAfter int
	AccountLockAfter int
	IPSlowAfter      int
	IPLockAfter      int
	LockFor          time.Duration
	MaxDelay         time.Duration
}

// DefaultThrottle is the policy attest ships with.
var DefaultThrottle = Throttle{
	Window:           time.Hour,
	AccountSlowAfter: 3,
	AccountLockAfter: 10,
	IPSlowAfter:      20,
	IPLockAfter:      50,
	LockFor:          15 * time.Minute,
	MaxDelay:         time.Minute,
}

// verdict is what the policy says about the next attempt.
type verdict struct {
	locked     bool
	retryAfter time.Duration
}

// judge applies the policy to failures counted so far, the last failure's
// time, and the current time.
func (t Throttle) judge(failures, slowAfter, lockAfter int, last, now time.Time) verdict {
	switch {
	case failures >= lockAfter:
		if until := last.Add(t.LockFor); now.Before(until) {
			return verdict{locked: true, retryAfter: until.Sub(now)}
		}
	case failures >= slowAfter:
		delay := time.Second << min(failures-slowAfter, 16)
		if delay > t.MaxDelay {
			delay = t.MaxDelay
		}
		if until := last.Add(delay); now.Before(until) {
			return verdict{retryAfter: until.Sub(now)}
		}
	}
	return verdict{}
}
