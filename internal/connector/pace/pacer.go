// Package pace is the platform's request pacing: a sliding window per
// rate-limit family, as providers document their limits ("N per W"), and a
// family-wide pause after a throttling answer (Retry-After, else an
// exponential backoff with jitter). A connector declares its families and
// windows and says which families each request counts in; the pacer holds
// every request until all of them have room.
package pace

import (
	"context"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/attesthq/attest/internal/clock"
)

// Family indexes one rate-limit family of a connector (its own constants,
// from 0): the endpoints one documented limit covers.
type Family int

// Window is a documented limit: at most N requests (or units) in any W.
type Window struct {
	N int
	W time.Duration
}

// Limits is the client-side pacing: one sliding window per family, indexed
// by Family. A family whose window has no N is not paced.
type Limits struct {
	Windows []Window
	// Margin lengthens every window, so that clock skew and network jitter
	// between our send and the provider's count cannot squeeze N+1 requests
	// into one of the provider's windows. The documented N is kept. A window is
	// lengthened by at most a twentieth of itself, so the margin never costs
	// a short window (1 per second) more than 5% of its rate.
	Margin time.Duration
}

// span is the length of f's window as the pacer counts it: W and its margin.
func (l Limits) span(f Family) time.Duration {
	w := l.Windows[f].W
	return w + min(l.Margin, w/20)
}

// With returns a copy of l with f's window replaced (the Windows slice is
// not shared with l).
func (l Limits) With(f Family, w Window) Limits {
	l.Windows = append([]Window(nil), l.Windows...)
	l.Windows[f] = w
	return l
}

// Demand is what one request takes from the pacer: every family it counts
// in, and its cost in the first of them (units, e.g. a provider's resource
// units; 0 counts 1). It counts one in every other family.
type Demand struct {
	Families []Family
	Units    int
}

// cost is what a request of d takes from f's window.
func (d Demand) cost(f Family) int {
	if f == d.Families[0] && d.Units > 0 {
		return d.Units
	}
	return 1
}

// Clock is the pacer's time: real in production, moved by tests.
type Clock interface {
	clock.Clock
	// SleepUntil returns once the clock has reached t, or ctx is done.
	SleepUntil(ctx context.Context, t time.Time) error
}

// RealClock sleeps on real timers.
type RealClock struct{ clock.Real }

// SleepUntil waits on a timer until t.
func (RealClock) SleepUntil(ctx context.Context, t time.Time) error { return Sleep(ctx, time.Until(t)) }

// send is a request counted in a family's window. The provider counts it at
// some instant between our send and its answer, so until the answer it
// counts as sent at every moment (it may still arrive), and once answered it
// counts from the instant of the answer: no window the provider measures can
// then hold more than one the pacer measured, however long the request was
// on the way.
type send struct {
	at       time.Time // when it was sent; once answered, when the answer came
	answered bool
	cost     int
}

// familyPace is one family's state: its recent sends, and how long it must
// hold back after a throttling answer.
type familyPace struct {
	window  Window
	sends   []*send
	blocked time.Time // no new request before this instant
	strikes int       // throttling answers without Retry-After since the last success
}

// Pacer holds one sync's requests inside the documented windows and pauses
// a whole family when the provider throttles any request of it.
type Pacer struct {
	clock Clock
	// spans are each family's window lengthened by its margin.
	spans []time.Duration
	// backoff bounds the exponential backoff after a 429 without
	// Retry-After; jitter draws a duration in [0, d).
	backoff Backoff
	jitter  func(d time.Duration) time.Duration

	mu       sync.Mutex
	families []familyPace
	lanes    map[*Lane]struct{} // open lanes of demands in several families
}

// New returns the pacer of one sync.
func New(c Clock, limits Limits, backoff Backoff) *Pacer {
	n := len(limits.Windows)
	p := &Pacer{clock: c, backoff: backoff, jitter: rand.N[time.Duration], lanes: map[*Lane]struct{}{},
		spans: make([]time.Duration, n), families: make([]familyPace, n)}
	for f := range n {
		p.spans[f] = limits.span(Family(f))
		p.families[f].window = limits.Windows[f]
	}
	return p
}

// Backoff bounds the exponential backoff after a throttling answer without
// Retry-After (and, for a connector, after a failed request).
type Backoff struct {
	Base time.Duration
	Max  time.Duration
}

// Wait blocks until the next request of l may be sent in every family it
// counts in, then counts it in all of them at once and returns the instant
// it was counted at (the request must be sent right away, and Answered
// called when its answer, or its failure, is in).
func (p *Pacer) Wait(ctx context.Context, l *Lane) (time.Time, error) {
	d := l.d
	next := make([]time.Time, len(p.families))
	for {
		p.mu.Lock()
		now := p.clock.Now()
		at := now
		for _, f := range d.Families {
			next[f] = p.next(f, d.cost(f), now)
			if next[f].After(at) {
				at = next[f]
			}
		}
		if !at.After(now) {
			at = p.yieldTo(l, now)
		}
		if !at.After(now) {
			for _, f := range d.Families {
				fp := &p.families[f]
				if fp.window.N > 0 {
					s := &send{at: now, cost: d.cost(f)}
					fp.sends = append(fp.sends, s)
					l.sent = append(l.sent, s)
				}
			}
			for _, f := range d.Families {
				next[f] = p.next(f, d.cost(f), now)
			}
			p.claim(l, next, now) // the lane's next request
			p.mu.Unlock()
			return now, nil
		}
		p.claim(l, next, now)
		p.mu.Unlock()
		if err := p.clock.SleepUntil(ctx, at); err != nil {
			return time.Time{}, err
		}
	}
}

// next is the earliest instant a request costing cost may start in f: after
// the family's backoff, and once the sends of the last W+margin leave room
// for it (an unanswered send counts as sent now). It forgets answered sends
// that no window starting now can hold.
func (p *Pacer) next(f Family, cost int, now time.Time) time.Time {
	fp := &p.families[f]
	at := fp.blocked
	if fp.window.N <= 0 {
		return at
	}
	span := p.spans[f]
	kept := fp.sends[:0]
	for _, s := range fp.sends {
		if !s.answered || s.at.Add(span).After(now) {
			kept = append(kept, s)
		}
	}
	clear(fp.sends[len(kept):])
	fp.sends = kept
	counted := make([]send, len(kept))
	for i, s := range kept {
		counted[i] = *s
		if !s.answered {
			counted[i].at = now
		}
	}
	slices.SortFunc(counted, func(a, b send) int { return b.at.Compare(a.at) }) // latest first
	used := cost
	for _, s := range counted {
		used += s.cost
		if used > fp.window.N {
			// This send and every later one share a window with the new
			// request until this one leaves it.
			if free := s.at.Add(span); free.After(at) {
				at = free
			}
			break
		}
	}
	return at
}

// Answered moves l's request in flight to the instant its answer came in
// (or it failed): from then on it leaves the window W after that instant.
func (p *Pacer) Answered(l *Lane) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock.Now()
	for _, s := range l.sent {
		s.at, s.answered = now, true
	}
	l.sent = l.sent[:0]
}

// Throttled pauses every family of d after a throttling answer received
// now: until retryAfter has passed, or, with none (retryAfter < 0), for an
// exponential backoff with jitter. It returns the instant the answer was
// taken in and the instant the pause ends.
func (p *Pacer) Throttled(d Demand, retryAfter time.Duration) (now, until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now = p.clock.Now()
	for _, f := range d.Families {
		fp := &p.families[f]
		pause := retryAfter
		if pause < 0 {
			pause = p.backoff.Delay(fp.strikes, p.jitter)
			fp.strikes++
		}
		if end := now.Add(pause); end.After(fp.blocked) {
			fp.blocked = end
		}
		if fp.blocked.After(until) {
			until = fp.blocked
		}
	}
	return now, until
}

// Succeeded ends the exponential backoff of d's families.
func (p *Pacer) Succeeded(d Demand) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range d.Families {
		p.families[f].strikes = 0
	}
}

// Delay is the exponential backoff after attempt earlier failures: from
// Base doubling up to Max, its upper half drawn by jitter (which returns a
// duration in [0, d); rand.N in production).
func (b Backoff) Delay(attempt int, jitter func(d time.Duration) time.Duration) time.Duration {
	d := b.Base << min(attempt, 20)
	if d > b.Max || d <= 0 {
		d = b.Max
	}
	return d/2 + jitter(d/2+1)
}

// RetryAfter reads a Retry-After header in (possibly fractional) seconds;
// -1 when absent or not a number of seconds up to an hour.
func RetryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return -1
	}
	secs, err := strconv.ParseFloat(v, 64)
	if err != nil || secs < 0 || secs > 3600 {
		return -1
	}
	return time.Duration(secs * float64(time.Second))
}

// Sleep waits d, or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Observer learns of a connector's traffic by rate-limit family (metrics). A
// request paced by several families counts under the most restrictive, the
// last it waits for.
type Observer interface {
	Request(family string)
	Throttled(family string)
	Retry(family string)
}

// NoObserver observes nothing.
type NoObserver struct{}

// Request does nothing.
func (NoObserver) Request(string) {}

// Throttled does nothing.
func (NoObserver) Throttled(string) {}

// Retry does nothing.
func (NoObserver) Retry(string) {}
