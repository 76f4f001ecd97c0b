package pace

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// answers replays a list of answers, one per attempt, recording when each
// attempt was made.
func answers(c *virtualClock, list ...Answer) (func(context.Context) Answer, *[]time.Time) {
	var at []time.Time
	return func(context.Context) Answer {
		at = append(at, c.Now())
		a := list[0]
		if len(list) > 1 {
			list = list[1:]
		}
		return a
	}, &at
}

func TestDoWaitsOutRetryAfterAcrossTheFamilyAndCountsRetries(t *testing.T) {
	t.Parallel()
	p, c := newTestPacer(DocumentedLimits, 1)
	throttled := Answer{Verdict: Throttle, RetryAfter: 5 * time.Second, Err: errors.New("429")}
	attempt, at := answers(c, throttled, throttled, Answer{Verdict: Done})
	var stats Stats
	retries := 0
	l := p.Open(demandProtection)
	defer p.Close(l)
	require.NoError(t, p.Do(context.Background(), l, Policy{MaxRetries: 5, Budget: time.Minute}, &stats, func() { retries++ }, attempt))
	require.Len(t, *at, 3)
	for i := 1; i < 3; i++ {
		require.GreaterOrEqual(t, (*at)[i].Sub((*at)[i-1]), 5*time.Second, "each retry waits out the Retry-After")
	}
	require.Equal(t, int64(3), stats.Requests.Load())
	require.Equal(t, int64(2), stats.Throttled.Load())
	require.Equal(t, int64(2), stats.Retries.Load())
	require.Equal(t, 2, retries)
}

func TestDoGivesUpAfterMaxRetriesOrTheBudget(t *testing.T) {
	t.Parallel()
	p, c := newTestPacer(DocumentedLimits, 1)
	throttled := Answer{Verdict: Throttle, RetryAfter: 10 * time.Second, Err: errors.New("429")}
	attempt, _ := answers(c, throttled)
	l := p.Open(demandReports)
	defer p.Close(l)
	err := p.Do(context.Background(), l, Policy{MaxRetries: 2, Budget: time.Hour}, &Stats{}, nil, attempt)
	var gu *GiveUp
	require.ErrorAs(t, err, &gu)
	require.Equal(t, 3, gu.Attempts)
	require.Equal(t, Throttle, gu.Last.Verdict)

	attempt, _ = answers(c, throttled)
	err = p.Do(context.Background(), l, Policy{MaxRetries: 10, Budget: 15 * time.Second}, &Stats{}, nil, attempt)
	require.ErrorAs(t, err, &gu)
	require.Equal(t, 2, gu.Attempts, "the second 10 s wait would pass the 15 s budget")
}

func TestDoRetriesAtOnceAfterAgainAndReturnsAFinalError(t *testing.T) {
	t.Parallel()
	p, c := newTestPacer(DocumentedLimits, 1)
	final := errors.New("403 forbidden")
	attempt, at := answers(c, Answer{Verdict: Again}, Answer{Verdict: Done, Err: final})
	var stats Stats
	l := p.Open(demandReports)
	defer p.Close(l)
	require.ErrorIs(t, p.Do(context.Background(), l, Policy{MaxRetries: 0, Budget: 0}, &stats, nil, attempt), final)
	require.Len(t, *at, 2, "Again is not a retry: even a policy of no retries sends it")
	require.Zero(t, stats.Retries.Load())
}
