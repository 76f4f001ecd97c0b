package pace

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
)

// virtualClock is a pacer clock that never sleeps: SleepUntil moves it to the
// instant asked for (a goroutine may so wake late, never early), and every
// Now is a nanosecond after the one before, so instants read under the
// pacer's lock order its decisions.
type virtualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *virtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Nanosecond)
	return c.now
}

// Advance moves the clock forward by d.
func (c *virtualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *virtualClock) SleepUntil(ctx context.Context, t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
	return ctx.Err()
}

// The test families have the shape of a real provider's documented limits
// (Microsoft Graph's, which the pacer was first written for): a large
// budget in units, a small request window, a tighter window a request
// counts in together with the small one, and one request per second.
const (
	familyDirectory Family = iota
	familyReports
	familySignInActivity
	familyProtection
	familyCount
)

var DocumentedLimits = Limits{
	Windows: []Window{
		familyDirectory:      {N: 3500, W: 10 * time.Second},
		familyReports:        {N: 5, W: 10 * time.Second},
		familySignInActivity: {N: 10, W: time.Minute},
		familyProtection:     {N: 1, W: time.Second},
	},
	Margin: 250 * time.Millisecond,
}

var (
	demandReports    = Demand{Families: []Family{familyReports}}
	demandActivity   = Demand{Families: []Family{familyReports, familySignInActivity}}
	demandProtection = Demand{Families: []Family{familyProtection}}
)

func newTestPacer(limits Limits, seed uint64) (*Pacer, *virtualClock) {
	c := &virtualClock{now: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	p := New(c, limits, Backoff{Base: time.Second, Max: 30 * time.Second})
	rng := rand.New(rand.NewPCG(seed, 0x7ace))
	p.jitter = func(d time.Duration) time.Duration { return time.Duration(rng.Int64N(int64(d))) } // called under the pacer's lock
	return p, c
}

// sendNow waits for l's next request and has it answered at once.
func sendNow(ctx context.Context, p *Pacer, l *Lane) (time.Time, error) {
	at, err := p.Wait(ctx, l)
	if err == nil {
		p.Answered(l)
	}
	return at, err
}

func TestPacerHoldsTheSixthReportsRequestUntilTheFirstLeavesTheWindowAndMargin(t *testing.T) {
	t.Parallel()
	p, _ := newTestPacer(DocumentedLimits, 1)
	ctx := context.Background()
	var sent []time.Time
	for range 6 {
		at, err := sendNow(ctx, p, p.Open(demandReports))
		require.NoError(t, err)
		sent = append(sent, at)
	}
	require.Less(t, sent[4].Sub(sent[0]), time.Millisecond, "five go at once")
	require.GreaterOrEqual(t, sent[5].Sub(sent[0]), 10*time.Second+DocumentedLimits.Margin)
	require.Less(t, sent[5].Sub(sent[0]), 10*time.Second+DocumentedLimits.Margin+time.Millisecond, "no later than the window allows")
}

func TestPacerMarginIsAtMostATwentiethOfAShortWindow(t *testing.T) {
	t.Parallel()
	p, _ := newTestPacer(DocumentedLimits, 1)
	ctx := context.Background()
	first, err := sendNow(ctx, p, p.Open(demandProtection))
	require.NoError(t, err)
	second, err := sendNow(ctx, p, p.Open(demandProtection))
	require.NoError(t, err)
	// One per second: the second request waits the second and 50 ms, not
	// the full margin of the ten-second windows.
	require.GreaterOrEqual(t, second.Sub(first), time.Second+50*time.Millisecond)
	require.Less(t, second.Sub(first), time.Second+51*time.Millisecond)
}

func TestPacerReservesEveryFamilyOfARequestOrNone(t *testing.T) {
	t.Parallel()
	limits := DocumentedLimits.With(familySignInActivity, Window{N: 1, W: time.Minute})
	p, _ := newTestPacer(limits, 1)
	ctx := context.Background()
	first, err := sendNow(ctx, p, p.Open(demandActivity))
	require.NoError(t, err)
	// The second signInActivity request must wait a minute; while it waits
	// it holds no reports slot, so four reports requests still go at once.
	for range 4 {
		at, err := sendNow(ctx, p, p.Open(demandReports))
		require.NoError(t, err)
		require.Less(t, at.Sub(first), time.Millisecond)
	}
	second, err := sendNow(ctx, p, p.Open(demandActivity))
	require.NoError(t, err)
	require.GreaterOrEqual(t, second.Sub(first), time.Minute+limits.Margin)
}

func TestPacerPausesTheWholeFamilyForRetryAfterAndBacksOffWithoutOne(t *testing.T) {
	t.Parallel()
	p, _ := newTestPacer(DocumentedLimits, 1)
	ctx := context.Background()
	_, err := sendNow(ctx, p, p.Open(demandReports))
	require.NoError(t, err)
	got, until := p.Throttled(demandActivity, 5550*time.Millisecond)
	require.Equal(t, got.Add(5550*time.Millisecond), until)
	// Another collector of the reports family is held back too.
	at, err := sendNow(ctx, p, p.Open(demandReports))
	require.NoError(t, err)
	require.False(t, at.Before(until))
	// Other families are not.
	other, err := sendNow(ctx, p, p.Open(demandProtection))
	require.NoError(t, err)
	require.Less(t, other.Sub(at), time.Millisecond)

	// Without Retry-After the pause grows while the family keeps being
	// throttled, and starts over after a success.
	var pauses []time.Duration
	for range 4 {
		got, until := p.Throttled(demandProtection, -1)
		pauses = append(pauses, until.Sub(got))
		_, err := sendNow(ctx, p, p.Open(demandProtection))
		require.NoError(t, err)
	}
	for i, d := range pauses {
		step := time.Second << i
		require.GreaterOrEqual(t, d, step/2, "pause %d", i)
		require.LessOrEqual(t, d, step, "pause %d", i)
	}
	p.Succeeded(demandProtection)
	got, until = p.Throttled(demandProtection, -1)
	require.LessOrEqual(t, until.Sub(got), time.Second)
}

// pacedSend is one request the property test saw the pacer let through:
// sent at at, answered at answered.
type pacedSend struct {
	at, answered time.Time
	d            Demand
}

// pause is one throttling answer the property test gave and the pause the
// pacer took for it.
type pause struct {
	d             Demand
	received, end time.Time
	retryAfter    time.Duration // -1 for none
}

// TestPacerPropertyNoWindowOverflowsAndNoRequestStartsInsideAPause runs
// random schedules of concurrent collectors across every family, answering
// some requests with 429 (with and without Retry-After), and checks every
// schedule: no window of W+margin of any family holds more than N, and no
// request of a family starts after a 429 of that family was taken in and
// before its Retry-After (or backoff) has passed.
func TestPacerPropertyNoWindowOverflowsAndNoRequestStartsInsideAPause(t *testing.T) {
	t.Parallel()
	limits := DocumentedLimits.With(familyDirectory, Window{N: 7, W: 2 * time.Second}) // small enough to be reached
	demands := []Demand{
		demandReports, demandActivity, demandProtection,
		{Families: []Family{familyDirectory}, Units: 1}, {Families: []Family{familyDirectory}, Units: 3},
	}
	for seed := range uint64(40) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			p, c := newTestPacer(limits, seed)
			var mu sync.Mutex
			var sends []pacedSend
			var pauses []pause
			var wg sync.WaitGroup
			plan := rand.New(rand.NewPCG(seed, 1))
			for collector := range 3 + plan.IntN(6) {
				d := demands[plan.IntN(len(demands))]
				pages := 1 + plan.IntN(25)
				rng := rand.New(rand.NewPCG(seed, uint64(collector)+2))
				wg.Add(1)
				go func() {
					defer wg.Done()
					l := p.Open(d)
					defer p.Close(l)
					for page := 0; page < pages; {
						at, err := p.Wait(context.Background(), l)
						if !assertNoError(t, err) {
							return
						}
						// The answer takes a while; other collectors go on.
						_ = c.SleepUntil(context.Background(), at.Add(time.Duration(rng.IntN(3000))*time.Millisecond))
						mu.Lock()
						sends = append(sends, pacedSend{at: at, answered: c.Now(), d: d})
						mu.Unlock()
						p.Answered(l)
						if rng.IntN(6) > 0 {
							p.Succeeded(d)
							page++
							continue
						}
						ra := time.Duration(-1)
						if d.Families[0] != familyProtection && rng.IntN(3) > 0 {
							ra = time.Duration(rng.IntN(8000)) * time.Millisecond
						}
						got, end := p.Throttled(d, ra)
						mu.Lock()
						pauses = append(pauses, pause{d: d, received: got, end: end, retryAfter: ra})
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			require.NotEmpty(t, sends)
			checkWindows(t, limits, sends)
			checkPauses(t, sends, pauses)
		})
	}
}

// assertNoError reports err from a collector goroutine.
func assertNoError(t *testing.T, err error) bool {
	t.Helper()
	if err != nil {
		t.Errorf("wait: %v", err)
		return false
	}
	return true
}

// checkWindows asserts that no window of W+margin in any family can hold
// more than N (requests, or resource units in the directory), wherever
// between its send and its answer Microsoft counted each request: for every
// request r, the requests sent no later than r and answered less than a
// window before r was sent fit in N.
func checkWindows(t *testing.T, limits Limits, sends []pacedSend) {
	t.Helper()
	for f := range familyCount {
		w := limits.Windows[f]
		span := limits.span(f)
		for _, r := range sends {
			if !slices.Contains(r.d.Families, f) {
				continue
			}
			used := 0
			for _, s := range sends {
				if slices.Contains(s.d.Families, f) && !s.at.After(r.at) && s.answered.After(r.at.Add(-span)) {
					used += s.d.cost(f)
				}
			}
			require.LessOrEqual(t, used, w.N, "family %d: %d in the %s before %s", f, used, span, r.at.Format(time.StampMilli))
		}
	}
}

// checkPauses asserts that every pause lasts at least its Retry-After and
// that no request of a paused family started inside it (requests in flight
// when the 429 was taken in started before it).
func checkPauses(t *testing.T, sends []pacedSend, pauses []pause) {
	t.Helper()
	for _, p := range pauses {
		if p.retryAfter >= 0 {
			require.False(t, p.end.Before(p.received.Add(p.retryAfter)), "the pause lasts the Retry-After")
		} else {
			require.True(t, p.end.After(p.received), "a 429 without Retry-After pauses too")
		}
		for _, s := range sends {
			shared := slices.ContainsFunc(s.d.Families, func(f Family) bool { return slices.Contains(p.d.Families, f) })
			if shared && s.at.After(p.received) && s.at.Before(p.end) {
				t.Fatalf("a %s request started at %s, inside the pause from %s to %s",
					fmt.Sprint(s.d.Families), s.at.Format(time.StampMilli), p.received.Format(time.StampMilli), p.end.Format(time.StampMilli))
			}
		}
	}
}

func TestPacerLetsTheUsersLaneGoFirstInTheReportsWindow(t *testing.T) {
	t.Parallel()
	p, c := newTestPacer(DocumentedLimits, 1)
	ctx := context.Background()
	users, regs := p.Open(demandActivity), p.Open(demandReports)
	defer p.Close(users)
	defer p.Close(regs)
	mayGo := func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		now := c.Now()
		return !p.yieldTo(regs, now).After(now)
	}
	_, err := sendNow(ctx, p, users)
	require.NoError(t, err)
	// Four reports slots are left and the users lane, its answer in flight,
	// can use them all (signInActivity has nine left): registrations wait.
	require.False(t, mayGo())
	for range 4 {
		_, err := sendNow(ctx, p, users)
		require.NoError(t, err)
	}
	c.Advance(10*time.Second + DocumentedLimits.Margin)
	for range 4 {
		_, err := sendNow(ctx, p, users)
		require.NoError(t, err)
	}
	require.False(t, mayGo(), "one slot left, and the users lane can use it")
	_, err = sendNow(ctx, p, users)
	require.NoError(t, err)
	// The users lane has spent its signInActivity minute: its next turn is
	// a minute away, and registrations take the reports slots meanwhile.
	c.Advance(10*time.Second + DocumentedLimits.Margin)
	require.True(t, mayGo())
}

// TestPacerKeepsALargeSyncWithinTenPercentOfTheWindowBound runs the
// collectors of a 50,000-user sync (100 pages of users with signInActivity,
// 100 of registration details, a page of sign-ins, policies and risky
// users) in a synctest bubble, where time is virtual: the users lane, in
// two families, goes first, so the sync takes little more than the 540 s
// that 100 signInActivity requests at 10 per minute need.
func TestPacerKeepsALargeSyncWithinTenPercentOfTheWindowBound(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p := New(RealClock{}, DocumentedLimits, Backoff{Base: time.Second, Max: 30 * time.Second})
		start := time.Now()
		var wg sync.WaitGroup
		collect := func(d Demand, pages int, latency time.Duration) {
			wg.Go(func() {
				l := p.Open(d)
				defer p.Close(l)
				for range pages {
					_, err := p.Wait(context.Background(), l)
					assertNoError(t, err)
					time.Sleep(latency) // the answer, on the bubble's clock
					p.Answered(l)
				}
			})
		}
		collect(demandActivity, 100, 150*time.Millisecond)
		collect(demandReports, 100, 80*time.Millisecond)
		collect(demandReports, 1, 80*time.Millisecond)
		collect(demandProtection, 1, 50*time.Millisecond)
		collect(demandProtection, 1, 50*time.Millisecond)
		wg.Wait()
		bound := 9 * time.Minute
		require.Less(t, time.Since(start), bound+bound/10, "the windows allow %s", bound)
	})
}
