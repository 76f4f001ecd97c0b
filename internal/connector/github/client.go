package github

import (
	"github.com/attesthq/attest/internal/connector/pace"

	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/connector"
)

// The headers every request sends (github.md section 10).
const (
	apiVersion = "2022-11-28"
	acceptJSON = "application/vnd.github+json"
	// UserAgent names attest: GitHub refuses requests without one.
	UserAgent = "attest-github-connector/1"
)

// maxBody caps an answer's size.
const maxBody = 32 << 20

// Clock is the connector's time: the current instant, and pauses that a
// test's clock can skip.
type Clock interface {
	clock.Clock
	// SleepUntil returns once the clock has reached t, or ctx is done.
	SleepUntil(ctx context.Context, t time.Time) error
}

// RealClock is the wall clock, pausing on timers.
type RealClock struct{ clock.Real }

// SleepUntil waits on a timer until t.
func (RealClock) SleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// Retry is what the client does after a refusal (github.md section 8):
// wait retry-after when sent, else until x-ratelimit-reset when the
// remaining budget is 0, else at least MinWait, doubling each time; server
// errors and broken connections wait ServerWait, doubling. A request is
// tried at most Attempts times.
type Retry struct {
	Attempts   int
	MinWait    time.Duration
	ServerWait time.Duration
}

// DefaultRetry is the documented policy.
var DefaultRetry = Retry{Attempts: 5, MinWait: time.Minute, ServerWait: time.Second}

// rateBudget is the primary rate limit as the last answer's headers told it.
type rateBudget struct {
	Known     bool
	Limit     int
	Remaining int
	Used      int
	Reset     time.Time
}

// Stats counts one client's requests.
type Stats struct {
	Requests    int
	NotModified int
	// RememberedAbsent counts 404s answered from the cache, unsent.
	RememberedAbsent int
	Throttled        int
	Retries          int
	// Paused is the time spent waiting for a rate limit.
	Paused time.Duration
}

// Cache keeps answers by URL so that a resync sends If-None-Match with the
// stored ETag and GitHub's 304 (which costs no primary budget) reuses the
// stored body. It also remembers, for a while, that a route answered 404
// (rememberAbsence), since GitHub sends no ETag with it.
type Cache interface {
	Get(url string) (connector.Validated, bool)
	Put(url string, v connector.Validated)
}

// absenceTTL is how long a 404 of a route is trusted without asking again.
// Only classic protection's "Branch not protected" is: GitHub gives it no
// ETag, so without this an unprotected branch costs a request every sync.
// Trusting it can only delay seeing protection that was added (the check
// keeps failing a little longer, never passes wrongly): protection that is
// removed was a 200 with an ETag, asked again every sync.
var absenceTTL = map[string]time.Duration{routeProtection: 6 * time.Hour}

// absentValidator marks a stored 404 in the cache (a validator GitHub
// never sends: its ETags are quoted).
const absentValidator = "absent"

// client talks to one API root, one request at a time (GitHub asks for
// serial requests per installation).
type client struct {
	http  *http.Client
	root  string
	clock Clock
	retry Retry
	cache Cache
	// auth returns the Authorization header's value.
	auth func(ctx context.Context) (string, error)
	// unauthorized drops a credential GitHub refused, so the next auth
	// mints a new one; nil when there is nothing to renew.
	unauthorized func()
	// observe, when set, learns of each request, throttle and retry by
	// endpoint.
	observe pace.Observer

	mu     sync.Mutex
	budget rateBudget
	stats  Stats
	// pacer holds each endpoint's sliding window of the secondary limit.
	pacer *pace.Pacer
}

// response is a successful answer.
type response struct {
	status int
	body   []byte
	next   string // the Link header's rel="next"
}

// getJSON GETs target (a path under the root, or a Link URL) of route into
// out and returns the next page's URL.
func (c *client) getJSON(ctx context.Context, route, target string, out any) (string, error) {
	r, err := c.do(ctx, route, http.MethodGet, target, nil)
	if err != nil {
		return "", err
	}
	if err := json.Unmarshal(r.body, out); err != nil {
		return "", fmt.Errorf("%w: GET %s: %v", ErrMalformed, endpoint(target), err)
	}
	return r.next, nil
}

// retryAfter counts a retry of route and pauses d before it.
func (c *client) retryAfter(ctx context.Context, route string, d time.Duration) error {
	c.count(ctx, func(s *Stats) { s.Retries++ })
	c.observed(func(o pace.Observer) { o.Retry(route) })
	return c.pause(ctx, d)
}

// observed tells the observer, when there is one.
func (c *client) observed(f func(pace.Observer)) {
	if c.observe != nil {
		f(c.observe)
	}
}

// statsKey carries a dataset's own counters in a context.
type statsKey struct{}

// withStats makes the requests sent with ctx count in st too.
func withStats(ctx context.Context, st *Stats) context.Context {
	return context.WithValue(ctx, statsKey{}, st)
}

// count updates the client's counters and those of ctx's dataset.
func (c *client) count(ctx context.Context, f func(*Stats)) {
	f(&c.stats)
	if st, ok := ctx.Value(statsKey{}).(*Stats); ok {
		f(st)
	}
}

// do sends one request of route (the endpoint as GitHub documents it, such
// as "GET /orgs/{org}/repos"), pacing it within the endpoint's secondary
// limit, pausing for the primary budget and retrying throttled, failed and
// once unauthorized requests as Retry says.
func (c *client) do(ctx context.Context, route, method, target string, body []byte) (response, error) {
	u, err := c.resolve(target)
	if err != nil {
		return response{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.rememberedAbsence(ctx, route, method, u); err != nil {
		return response{}, err
	}
	guidanceless, renewed := 0, false
	for attempt := 1; ; attempt++ {
		c.spendBudget()
		answered, err := c.paceEndpoint(ctx, route, points(method))
		if err != nil {
			return response{}, err
		}
		// A credential GitHub refuses is final: not retried like a
		// network failure.
		auth, err := c.auth(ctx)
		if err != nil {
			answered()
			return response{}, err
		}
		c.observed(func(o pace.Observer) { o.Request(route) })
		resp, err := c.send(ctx, method, u, body, auth)
		answered()
		if err != nil {
			if ctx.Err() != nil || attempt >= c.retry.Attempts {
				return response{}, err
			}
			if err := c.retryAfter(ctx, route, c.retry.ServerWait<<(attempt-1)); err != nil {
				return response{}, err
			}
			continue
		}
		switch {
		case resp.throttled():
			c.count(ctx, func(s *Stats) { s.Throttled++ })
			c.observed(func(o pace.Observer) { o.Throttled(route) })
			if attempt >= c.retry.Attempts {
				return response{}, fmt.Errorf("%w: %w", ErrThrottled, resp.apiError(method, u))
			}
			wait := c.throttleWait(resp.header, guidanceless)
			if resp.header.Get("Retry-After") == "" && resp.header.Get("X-Ratelimit-Remaining") != "0" {
				guidanceless++
			}
			// The platform's pacer holds every endpoint back until the wait
			// is over; the next attempt waits there.
			c.count(ctx, func(s *Stats) { s.Retries++ })
			c.observed(func(o pace.Observer) { o.Retry(route) })
			c.paced().Throttled(everyEndpoint, wait)
		case resp.status >= http.StatusInternalServerError && attempt < c.retry.Attempts:
			if err := c.retryAfter(ctx, route, c.retry.ServerWait<<(attempt-1)); err != nil {
				return response{}, err
			}
		case resp.status == http.StatusUnauthorized && c.unauthorized != nil && !renewed:
			renewed = true
			c.count(ctx, func(s *Stats) { s.Retries++ })
			c.unauthorized()
		case resp.status == http.StatusNotModified:
			return resp.cached, nil
		case resp.status >= http.StatusBadRequest:
			c.rememberAbsence(route, method, u, resp)
			return response{}, resp.apiError(method, u)
		default:
			return response{status: resp.status, body: resp.body, next: nextLink(resp.header.Get("Link"))}, nil
		}
	}
}

// rememberedAbsence returns the 404 a route answered u within its
// absenceTTL, without asking again, or nil.
func (c *client) rememberedAbsence(ctx context.Context, route, method string, u *url.URL) error {
	ttl := absenceTTL[route]
	if ttl == 0 || method != http.MethodGet || c.cache == nil {
		return nil
	}
	v, ok := c.cache.Get(u.String())
	if !ok || v.Validator != absentValidator || c.clock.Now().Sub(v.StoredAt) >= ttl {
		return nil
	}
	c.count(ctx, func(s *Stats) { s.RememberedAbsent++ })
	return &APIError{Method: method, Endpoint: u.Path, Status: http.StatusNotFound, Message: string(v.Body)}
}

// rememberAbsence stores a 404 of a route that has an absenceTTL.
func (c *client) rememberAbsence(route, method string, u *url.URL, a answer) {
	if a.status != http.StatusNotFound || absenceTTL[route] == 0 || method != http.MethodGet || c.cache == nil {
		return
	}
	c.cache.Put(u.String(), connector.Validated{Validator: absentValidator, Body: []byte(a.apiError(method, u).Message), StoredAt: c.clock.Now()})
}

// answer is one answer as received.
type answer struct {
	status int
	header http.Header
	body   []byte
	cached response
}

// throttled reports a rate-limit refusal: any 429, and a 403 that says so
// (remaining 0, a retry-after, or the message).
func (a answer) throttled() bool {
	if a.status == http.StatusTooManyRequests {
		return true
	}
	return a.status == http.StatusForbidden && (a.header.Get("X-Ratelimit-Remaining") == "0" || a.header.Get("Retry-After") != "" ||
		bytes.Contains(bytes.ToLower(a.body), []byte("rate limit")))
}

func (a answer) apiError(method string, u *url.URL) *APIError {
	var body struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(a.body, &body)
	return &APIError{Method: method, Endpoint: u.Path, Status: a.status, Message: body.Message,
		AcceptedPermissions: a.header.Get("X-Accepted-Github-Permissions")}
}

// send makes one HTTP exchange with the required headers, auth as the
// Authorization (none when empty) and, for a GET with a cached answer,
// If-None-Match.
func (c *client) send(ctx context.Context, method string, u *url.URL, body []byte, auth string) (answer, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return answer{}, fmt.Errorf("github: request: %w", err)
	}
	h := req.Header
	h.Set("Accept", acceptJSON)
	h.Set("X-GitHub-Api-Version", apiVersion)
	h.Set("User-Agent", UserAgent)
	if auth != "" {
		h.Set("Authorization", auth)
	}
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	var cached response
	var etag string
	if method == http.MethodGet && c.cache != nil {
		if v, ok := c.cache.Get(u.String()); ok && v.Validator != absentValidator {
			etag = v.Validator
			h.Set("If-None-Match", etag)
			cached = response{status: http.StatusOK, body: v.Body, next: nextLink(v.Links)}
		}
	}
	c.count(ctx, func(s *Stats) { s.Requests++ })
	resp, err := c.http.Do(req)
	if err != nil {
		return answer{}, fmt.Errorf("github: %s %s: %w", method, u.Path, redact(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return answer{}, fmt.Errorf("github: %s %s: read answer: %w", method, u.Path, err)
	}
	c.readBudget(resp.Header)
	a := answer{status: resp.StatusCode, header: resp.Header, body: raw, cached: cached}
	switch {
	case resp.StatusCode == http.StatusNotModified && etag != "":
		c.count(ctx, func(s *Stats) { s.NotModified++ })
	case resp.StatusCode == http.StatusNotModified:
		a.status = http.StatusBadGateway // a 304 to a request that sent no ETag
	case resp.StatusCode == http.StatusOK && method == http.MethodGet && c.cache != nil && resp.Header.Get("ETag") != "":
		c.cache.Put(u.String(), connector.Validated{Validator: resp.Header.Get("ETag"), Body: raw, Links: resp.Header.Get("Link"), StoredAt: c.clock.Now()})
	}
	return a, nil
}

// redact drops the URL from a transport error: it is ours anyway, and keeps
// the message short.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// points is what a request of method costs in its endpoint's window of the
// documented secondary limit (github.md section 8): a GET 1 point, a POST 5.
func points(method string) int {
	if method == http.MethodGet {
		return 1
	}
	return 5
}

// paceEndpoint waits, through the platform's pacer, until route's window has
// room for p points and counts them there: the client never meets the
// secondary limit it can know. The returned func records the answer.
func (c *client) paceEndpoint(ctx context.Context, route string, p int) (answered func(), err error) {
	f, ok := endpointFamily[route]
	if !ok {
		return nil, fmt.Errorf("github: %s is not one of the documented endpoints the connector paces", route)
	}
	lane := c.paced().Open(pace.Demand{Families: []pace.Family{f}, Units: p})
	start := c.clock.Now()
	if _, err := c.pacer.Wait(ctx, lane); err != nil {
		c.pacer.Close(lane)
		return nil, err
	}
	if waited := c.clock.Now().Sub(start); waited > 0 {
		c.count(ctx, func(s *Stats) { s.Paused += waited })
	}
	return func() { c.pacer.Answered(lane); c.pacer.Close(lane) }, nil
}

// readBudget records the primary limit's headers of an answer.
func (c *client) readBudget(h http.Header) {
	remaining, err := strconv.Atoi(h.Get("X-Ratelimit-Remaining"))
	if err != nil {
		return
	}
	b := rateBudget{Known: true, Remaining: remaining}
	b.Limit, _ = strconv.Atoi(h.Get("X-Ratelimit-Limit"))
	b.Used, _ = strconv.Atoi(h.Get("X-Ratelimit-Used"))
	if reset, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64); err == nil {
		b.Reset = time.Unix(reset, 0)
	}
	c.budget = b
}

// spendBudget, when the last answer left no primary budget, pauses every
// endpoint in the platform's pacer until the reset: the next request waits
// there.
func (c *client) spendBudget() {
	b := c.budget
	if !b.Known || b.Remaining > 0 || !c.clock.Now().Before(b.Reset) {
		return
	}
	c.budget.Known = false
	c.paced().Throttled(everyEndpoint, b.Reset.Sub(c.clock.Now()))
}

// paced is the client's pacer, made on first use.
func (c *client) paced() *pace.Pacer {
	if c.pacer == nil {
		c.pacer = pace.New(c.clock, endpointLimits, pace.Backoff{})
	}
	return c.pacer
}

// throttleWait is how long to wait after a throttling answer: retry-after,
// else until x-ratelimit-reset when nothing remains, else at least MinWait
// doubled for each earlier answer without guidance.
func (c *client) throttleWait(h http.Header, guidanceless int) time.Duration {
	if secs, err := strconv.Atoi(h.Get("Retry-After")); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if h.Get("X-Ratelimit-Remaining") == "0" {
		if reset, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64); err == nil {
			return max(time.Unix(reset, 0).Sub(c.clock.Now()), 0)
		}
	}
	return c.retry.MinWait << min(guidanceless, 6)
}

// pause waits d on the clock.
func (c *client) pause(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	c.count(ctx, func(s *Stats) { s.Paused += d })
	return c.clock.SleepUntil(ctx, c.clock.Now().Add(d))
}

// resolve turns a path into a URL under the root, and checks a Link URL is
// under it: the token is never sent anywhere else.
func (c *client) resolve(target string) (*url.URL, error) {
	if strings.HasPrefix(target, "/") {
		target = c.root + target
	} else if !strings.HasPrefix(target, c.root+"/") {
		return nil, fmt.Errorf("%w: a link outside the API root: %q", ErrMalformed, target)
	}
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %v", ErrMalformed, target, err)
	}
	return u, nil
}

// endpoint is target's path, for messages.
func endpoint(target string) string {
	path, _, _ := strings.Cut(target, "?")
	return path
}

// Stats returns the client's counters.
func (c *client) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}
