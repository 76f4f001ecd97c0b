package pace

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"
)

// Policy bounds the retries of one dataset's requests.
type Policy struct {
	// MaxRetries per request.
	MaxRetries int
	// Budget is the total time one dataset may spend waiting to retry.
	Budget time.Duration
}

// Stats count one dataset's requests; safe for concurrent use.
type Stats struct {
	Requests, Throttled, Retries atomic.Int64
	waited                       atomic.Int64 // nanoseconds spent in retry waits
}

// Verdict is what a connector makes of one attempt's answer.
type Verdict int

// Verdicts.
const (
	// Done: the request succeeded (Err nil) or failed in a way no retry
	// mends (Err says how); Do returns Err.
	Done Verdict = iota
	// Again: try again at once, not as a retry (a token was refreshed).
	Again
	// Throttle: the provider throttled the request's family; the whole
	// family pauses for RetryAfter (else an exponential backoff) before
	// any of its requests goes again.
	Throttle
	// Busy: this endpoint is unavailable for now (503, 504); the request
	// retries after RetryAfter, else a backoff.
	Busy
	// Failed: the request failed (the network, a server error); it retries
	// after a backoff.
	Failed
)

// Answer is one attempt's outcome.
type Answer struct {
	Verdict Verdict
	// RetryAfter is the answer's Retry-After (see RetryAfter); -1 if none.
	RetryAfter time.Duration
	Err        error
}

// GiveUp is the error Do returns when the policy stops retrying a request.
type GiveUp struct {
	Attempts int
	// Last is the last attempt's answer.
	Last Answer
}

func (e *GiveUp) Error() string {
	return fmt.Sprintf("gave up after %d attempts: %v", e.Attempts, e.Last.Err)
}

func (e *GiveUp) Unwrap() error { return e.Last.Err }

// Do sends one request of lane l through attempt until it is done: each
// attempt waits for room in every family of l's demand, and a throttling
// answer pauses those families for every lane (not only this request). It
// gives up (a *GiveUp) after policy.MaxRetries retries or once the
// dataset's waits would pass policy.Budget, and stops when ctx ends.
// onRetry, when set, learns of every retry (metrics).
func (p *Pacer) Do(ctx context.Context, l *Lane, policy Policy, stats *Stats, onRetry func(), attempt func(ctx context.Context) Answer) error {
	d := l.d
	for n := 0; ; n++ {
		if _, err := p.Wait(ctx, l); err != nil {
			return err
		}
		stats.Requests.Add(1)
		ans := attempt(ctx)
		p.Answered(l)
		var wait time.Duration
		paused := false // the family's pause holds the retry back
		switch ans.Verdict {
		case Done:
			if ans.Err == nil {
				p.Succeeded(d)
			}
			return ans.Err
		case Again:
			continue
		case Throttle:
			stats.Throttled.Add(1)
			at, until := p.Throttled(d, ans.RetryAfter)
			wait, paused = until.Sub(at), true
		case Busy:
			stats.Throttled.Add(1)
			if wait = ans.RetryAfter; wait < 0 {
				wait = p.backoff.Delay(n, rand.N[time.Duration])
			}
		case Failed:
			if ctx.Err() != nil {
				return ctx.Err()
			}
			wait = p.backoff.Delay(n, rand.N[time.Duration])
		}
		if n >= policy.MaxRetries || time.Duration(stats.waited.Load())+wait > policy.Budget {
			return &GiveUp{Attempts: n + 1, Last: ans}
		}
		stats.Retries.Add(1)
		if onRetry != nil {
			onRetry()
		}
		stats.waited.Add(int64(max(wait, 0)))
		if paused {
			continue
		}
		if err := Sleep(ctx, wait); err != nil {
			return err
		}
	}
}
