package entra

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/attesthq/attest/internal/clock"
)

// Window is a documented Graph limit: at most N requests (resource units in
// the directory family) in any W.
type Window struct {
	N int
	W time.Duration
}

// Limits is the client-side pacing: one sliding window per family. A family
// whose window has no N is not paced.
type Limits struct {
	Windows [familyCount]Window
	// Margin lengthens every window, so that clock skew and network jitter
	// between our send and Microsoft's count cannot squeeze N+1 requests into
	// one of Microsoft's windows. The documented N is kept. A window is
	// lengthened by at most a twentieth of itself, so the margin never costs
	// a short window (1 per second) more than 5% of its rate.
	Margin time.Duration
}

// span is the length of f's window as the pacer counts it: W and its margin.
func (l Limits) span(f family) time.Duration {
	w := l.Windows[f].W
	return w + min(l.Margin, w/20)
}

// DocumentedLimits are Microsoft's documented limits as they are written.
// The directory budget is the smallest tenant's (3,500 resource units per
// 10 s), as a sync cannot know the tenant's size before it reads it.
var DocumentedLimits = Limits{
	Windows: [familyCount]Window{
		familyDirectory:      {N: 3500, W: 10 * time.Second},
		familyReports:        {N: 5, W: 10 * time.Second},
		familySignInActivity: {N: 10, W: time.Minute},
		familyProtection:     {N: 1, W: time.Second},
	},
	Margin: 250 * time.Millisecond,
}

// demand is what one request takes from the pacer: every family it counts
// in and its resource-unit cost in the directory family (one request counts
// one in every other family).
type demand struct {
	families []family
	units    int
}

// The demands of the endpoints a sync reads.
var (
	demandReports    = demand{families: []family{familyReports}}
	demandActivity   = demand{families: []family{familyReports, familySignInActivity}}
	demandProtection = demand{families: []family{familyProtection}}
	// demandDirectory is GET /users with $select and $top of 20 or more:
	// 2 units, less 1 for $select.
	demandDirectory = demand{families: []family{familyDirectory}, units: 1}
)

// cost is what a request of d takes from f's window.
func (d demand) cost(f family) int {
	if f == familyDirectory {
		return d.units
	}
	return 1
}

// label names the family a request counts under in metrics: the last, the
// most restrictive.
func (d demand) label() string { return familyNames[d.families[len(d.families)-1]] }

// pacerClock is the pacer's time: real in production, moved by tests.
type pacerClock interface {
	clock.Clock
	// SleepUntil returns once the clock has reached t, or ctx is done.
	SleepUntil(ctx context.Context, t time.Time) error
}

// realClock sleeps on real timers.
type realClock struct{ clock.Real }

// SleepUntil waits on a timer until t.
func (realClock) SleepUntil(ctx context.Context, t time.Time) error { return sleep(ctx, time.Until(t)) }

// send is a request counted in a family's window. Microsoft counts it at
// some instant between our send and its answer, so until the answer it
// counts as sent at every moment (it may still arrive), and once answered it
// counts from the instant of the answer: no window Microsoft measures can
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

// pacer holds one sync's requests inside the documented windows and pauses a
// whole family when Graph throttles any request of it.
type pacer struct {
	clock pacerClock
	// spans are each family's window lengthened by its margin.
	spans [familyCount]time.Duration
	// retry bounds the exponential backoff after a 429 without Retry-After;
	// jitter draws a duration in [0, d).
	retry  RetryPolicy
	jitter func(d time.Duration) time.Duration

	mu       sync.Mutex
	families [familyCount]familyPace
	lanes    map[*lane]struct{} // open lanes of demands in several families
}

func newPacer(c pacerClock, limits Limits, retry RetryPolicy) *pacer {
	p := &pacer{clock: c, retry: retry, jitter: rand.N[time.Duration], lanes: map[*lane]struct{}{}}
	for f := range familyCount {
		p.spans[f] = limits.span(f)
		p.families[f].window = limits.Windows[f]
	}
	return p
}

// wait blocks until the next request of l may be sent in every family it
// counts in, then counts it in all of them at once and returns the instant
// it was counted at (the request must be sent right away, and answered
// called when its answer, or its failure, is in).
func (p *pacer) wait(ctx context.Context, l *lane) (time.Time, error) {
	d := l.d
	for {
		p.mu.Lock()
		now := p.clock.Now()
		at := now
		var next [familyCount]time.Time
		for _, f := range d.families {
			next[f] = p.next(f, d.cost(f), now)
			if next[f].After(at) {
				at = next[f]
			}
		}
		if !at.After(now) {
			at = p.yieldTo(l, now)
		}
		if !at.After(now) {
			for _, f := range d.families {
				fp := &p.families[f]
				if fp.window.N > 0 {
					s := &send{at: now, cost: d.cost(f)}
					fp.sends = append(fp.sends, s)
					l.sent = append(l.sent, s)
				}
			}
			for _, f := range d.families {
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
func (p *pacer) next(f family, cost int, now time.Time) time.Time {
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

// answered moves l's request in flight to the instant its answer came in
// (or it failed): from then on it leaves the window W after that instant.
func (p *pacer) answered(l *lane) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock.Now()
	for _, s := range l.sent {
		s.at, s.answered = now, true
	}
	l.sent = l.sent[:0]
}

// throttled pauses every family of d after a throttling answer received now:
// until retryAfter has passed, or, with none (retryAfter < 0), for an
// exponential backoff with jitter. It returns the instant the answer was
// taken in and the instant the pause ends.
func (p *pacer) throttled(d demand, retryAfter time.Duration) (now, until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now = p.clock.Now()
	for _, f := range d.families {
		fp := &p.families[f]
		pause := retryAfter
		if pause < 0 {
			pause = backoffDelay(p.retry, fp.strikes, p.jitter)
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

// succeeded ends the exponential backoff of d's families.
func (p *pacer) succeeded(d demand) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range d.families {
		p.families[f].strikes = 0
	}
}

// backoffDelay is the exponential backoff after attempt earlier failures:
// from retry.BaseDelay doubling up to retry.MaxDelay, its upper half drawn
// by jitter (which returns a duration in [0, d)).
func backoffDelay(retry RetryPolicy, attempt int, jitter func(d time.Duration) time.Duration) time.Duration {
	d := retry.BaseDelay << min(attempt, 20)
	if d > retry.MaxDelay || d <= 0 {
		d = retry.MaxDelay
	}
	return d/2 + jitter(d/2+1)
}
