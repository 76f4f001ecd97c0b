package entrasim

import (
	"strconv"
	"sync"
	"time"
)

// The documented Microsoft Graph throttling limits the simulator enforces when
// Options.Throttle is set, as the reference reads them, on real monotonic
// time. "N requests per W" is a sliding window: no W holds more than N
// admitted requests.
const (
	// reportsLimit per reportsWindow per app per tenant: identity and access
	// reports (userRegistrationDetails, signIns, signInActivity).
	reportsLimit  = 5
	reportsWindow = 10 * time.Second
	// activityLimit per activityWindow per app per tenant: additionally for
	// /users requests that select signInActivity ("GET signInActivity: 10
	// requests per minute").
	activityLimit  = 10
	activityWindow = time.Minute
	// protectionLimit per protectionWindow per tenant for all apps: identity
	// protection and Conditional Access; 429s carry no Retry-After.
	protectionLimit  = 1
	protectionWindow = time.Second
	// directoryWindow is the resource-unit token bucket's window for /users.
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

// meter is one throttling limit's account.
type meter interface {
	// wait is how long until cost more fits at now (zero if it does).
	wait(now time.Time, cost int) time.Duration
	// take charges cost at now.
	take(now time.Time, cost int)
}

// window admits at most n requests in any sliding window of w.
type window struct {
	n        int
	w        time.Duration
	admitted []time.Time // oldest first
}

func (win *window) wait(now time.Time, _ int) time.Duration {
	drop := 0
	for drop < len(win.admitted) && !win.admitted[drop].Add(win.w).After(now) {
		drop++
	}
	win.admitted = win.admitted[drop:]
	if len(win.admitted) < win.n {
		return 0
	}
	return win.admitted[len(win.admitted)-win.n].Add(win.w).Sub(now)
}

func (win *window) take(now time.Time, _ int) { win.admitted = append(win.admitted, now) }

// bucket is a continuously refilled token bucket, as the documentation
// describes the directory's resource units.
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
func (b *bucket) wait(now time.Time, cost int) time.Duration {
	if !b.last.IsZero() {
		b.tokens = min(b.capacity, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens >= float64(cost) {
		return 0
	}
	return time.Duration((float64(cost) - b.tokens) / b.rate * float64(time.Second))
}

func (b *bucket) take(_ time.Time, cost int) { b.tokens -= float64(cost) }

// limitKey identifies a meter: a family and, for per-app limits, the app.
type limitKey struct {
	family Family
	app    string
}

// verdict is the outcome of admitting a request.
type verdict struct {
	ok bool
	// retryAfter is the Retry-After header value of a 429 ("" for none).
	retryAfter string
	// headers are extra response headers (resource units, throttle scope).
	headers map[string]string
}

// limiter holds a tenant's meters.
type limiter struct {
	mu     sync.Mutex
	units  int
	meters map[limitKey]meter
}

func newLimiter(users int) *limiter {
	return &limiter{units: directoryUnits(users), meters: map[limitKey]meter{}}
}

func (l *limiter) meter(k limitKey) meter {
	m := l.meters[k]
	if m == nil {
		switch k.family {
		case FamilyReports:
			m = &window{n: reportsLimit, w: reportsWindow}
		case FamilySignInActivity:
			m = &window{n: activityLimit, w: activityWindow}
		case FamilyProtection:
			m = &window{n: protectionLimit, w: protectionWindow}
		default:
			m = newBucket(l.units, directoryWindow)
		}
		l.meters[k] = m
	}
	return m
}

// families are every throttling family a request of d counts in.
func (d demands) families() []Family {
	if d.activity {
		return []Family{FamilyReports, FamilySignInActivity}
	}
	return []Family{d.family}
}

// admit charges a request of the given demands made by app against the
// tenant's limits at the monotonic instant now. Every limit involved must
// have room, or none is charged.
func (l *limiter) admit(d demands, app, tenantID string, now time.Time) verdict {
	l.mu.Lock()
	defer l.mu.Unlock()
	cost := 1
	if d.family == FamilyDirectory {
		cost = d.units
	}
	var meters []meter
	for _, f := range d.families() {
		k := limitKey{family: f, app: app}
		if f == FamilyProtection {
			k.app = "" // per tenant for all apps
		}
		meters = append(meters, l.meter(k))
	}
	var longest time.Duration
	for _, m := range meters {
		longest = max(longest, m.wait(now, cost))
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
	for _, m := range meters {
		m.take(now, cost)
	}
	if b, ok := meters[0].(*bucket); ok {
		if used := 1 - b.tokens/b.capacity; used > 0.8 {
			v.headers["x-ms-throttle-limit-percentage"] = strconv.FormatFloat(used, 'f', 1, 64)
		}
	}
	return v
}

// retryAfterSeconds formats d as fractional seconds, as Graph's Retry-After,
// rounded up to the millisecond so that waiting it is always enough.
func retryAfterSeconds(d time.Duration) string {
	ms := max((d+time.Millisecond-1)/time.Millisecond, 1)
	return strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)
}
