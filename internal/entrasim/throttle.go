package entrasim

import (
	"strconv"
	"sync"
	"time"
)

// The documented Microsoft Graph throttling limits the simulator enforces when
// Options.Throttle is set, as token buckets of capacity N refilled
// continuously at N per window, on real monotonic time.
const (
	// reportsLimit per reportsWindow per app per tenant: identity and access
	// reports (userRegistrationDetails, signIns, signInActivity).
	reportsLimit  = 5
	reportsWindow = 10 * time.Second
	// activityLimit per activityWindow per app per tenant: additionally for
	// /users requests that select signInActivity.
	activityLimit  = 10
	activityWindow = time.Minute
	// protectionLimit per protectionWindow per tenant for all apps: identity
	// protection and Conditional Access; 429s carry no Retry-After.
	protectionLimit  = 1
	protectionWindow = time.Second
	// directoryWindow is the resource-unit window for /users.
	directoryWindow = 10 * time.Second
)

// directoryUnits is the resource-unit capacity per directoryWindow per app per
// tenant by tenant size: S under 50 users, M up to 500, L above.
func directoryUnits(users int) int {
	switch {
	case users < 50:
		return 3500
	case users <= 500:
		return 5000
	default:
		return 8000
	}
}

// bucket is a continuously refilled token bucket.
type bucket struct {
	capacity float64
	rate     float64 // tokens per second
	tokens   float64
	last     time.Time
}

func newBucket(capacity int, window time.Duration) *bucket {
	return &bucket{capacity: float64(capacity), rate: float64(capacity) / window.Seconds(), tokens: float64(capacity)}
}

// wait refills the bucket to now and returns how long until cost tokens are
// available (zero if they are).
func (b *bucket) wait(now time.Time, cost float64) time.Duration {
	if !b.last.IsZero() {
		b.tokens = min(b.capacity, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens >= cost {
		return 0
	}
	return time.Duration((cost - b.tokens) / b.rate * float64(time.Second))
}

// limitKind names one throttling limit.
type limitKind int

const (
	limitReports limitKind = iota
	limitActivity
	limitProtection
	limitDirectory
)

// limitKey identifies a bucket: a limit and, for per-app limits, the app.
type limitKey struct {
	kind limitKind
	app  string
}

// verdict is the outcome of admitting a request.
type verdict struct {
	ok bool
	// retryAfter is the Retry-After header value of a 429 ("" for none).
	retryAfter string
	// headers are extra response headers (resource units, throttle scope).
	headers map[string]string
}

// limiter holds a tenant's buckets.
type limiter struct {
	mu      sync.Mutex
	units   int
	buckets map[limitKey]*bucket
}

func newLimiter(users int) *limiter {
	return &limiter{units: directoryUnits(users), buckets: map[limitKey]*bucket{}}
}

func (l *limiter) bucket(k limitKey) *bucket {
	b := l.buckets[k]
	if b == nil {
		switch k.kind {
		case limitReports:
			b = newBucket(reportsLimit, reportsWindow)
		case limitActivity:
			b = newBucket(activityLimit, activityWindow)
		case limitProtection:
			b = newBucket(protectionLimit, protectionWindow)
		default:
			b = newBucket(l.units, directoryWindow)
		}
		l.buckets[k] = b
	}
	return b
}

// admit charges a request of the given demands made by app against the
// tenant's limits at the monotonic instant now. Every bucket involved must
// have room, or none is charged.
func (l *limiter) admit(d demands, app, tenantID string, now time.Time) verdict {
	l.mu.Lock()
	defer l.mu.Unlock()
	type charge struct {
		b    *bucket
		cost float64
	}
	var charges []charge
	switch d.family {
	case FamilyReports:
		charges = append(charges, charge{l.bucket(limitKey{limitReports, app}), 1})
		if d.activity {
			charges = append(charges, charge{l.bucket(limitKey{limitActivity, app}), 1})
		}
	case FamilyProtection:
		charges = append(charges, charge{l.bucket(limitKey{kind: limitProtection}), 1})
	case FamilyDirectory:
		charges = append(charges, charge{l.bucket(limitKey{limitDirectory, app}), float64(d.units)})
	}
	var longest time.Duration
	for _, c := range charges {
		longest = max(longest, c.b.wait(now, c.cost))
	}
	v := verdict{ok: longest == 0}
	if d.family == FamilyDirectory {
		v.headers = map[string]string{"x-ms-resource-unit": strconv.Itoa(d.units)}
	}
	if !v.ok {
		if d.family != FamilyProtection {
			v.retryAfter = retryAfterSeconds(longest)
		}
		if d.family == FamilyDirectory {
			v.headers["x-ms-throttle-scope"] = "Tenant_Application/ReadWrite/" + app + "/" + tenantID
			v.headers["x-ms-throttle-information"] = "ResourceUnitLimitExceeded"
		}
		return v
	}
	for _, c := range charges {
		c.b.tokens -= c.cost
	}
	if d.family == FamilyDirectory {
		b := charges[0].b
		if used := 1 - b.tokens/b.capacity; used > 0.8 {
			v.headers["x-ms-throttle-limit-percentage"] = strconv.FormatFloat(used, 'f', 1, 64)
		}
	}
	return v
}

// retryAfterSeconds formats d as fractional seconds, as Graph's Retry-After.
func retryAfterSeconds(d time.Duration) string {
	return strconv.FormatFloat(max(d.Seconds(), 0.001), 'f', 3, 64)
}
