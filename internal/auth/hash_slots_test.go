package auth

import (
	"context"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// An attempt that finds every hashing slot taken for the whole wait is
// turned away as busy (429 with Retry-After at the web layer) without a
// hash, and its reservation is taken back so it does not count as a
// failure; once a slot is free the same attempt is evaluated (an unknown
// email through the dummy hash, in the same slots).
func TestBusyHashingTurnsAttemptsAwayWithoutHashingOrCounting(t *testing.T) {
	t.Parallel()
	tdb := testdb.New(t)
	h, err := NewHasher(argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
	require.NoError(t, err)
	h.slots, h.Wait = make(chan struct{}, 1), time.Millisecond
	svc := &Service{Pool: tdb.Pool, Clock: clock.NewFake(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)), Hasher: h,
		Throttle: DefaultThrottle, Log: slog.New(slog.DiscardHandler)}
	client := Client{IP: "192.0.2.7"}
	attempts := func() int {
		var n int
		require.NoError(t, tdb.Pool.QueryRow(context.Background(), `SELECT count(*) FROM login_attempts WHERE ip = $1`, client.IP).Scan(&n))
		return n
	}

	h.slots <- struct{}{} // every slot is taken
	_, err = svc.Authenticate(context.Background(), "nobody@acme.test", "a guess", client)
	var throttled *ThrottledError
	require.ErrorAs(t, err, &throttled)
	require.True(t, throttled.Busy)
	require.Equal(t, time.Second, throttled.RetryAfter)
	require.Zero(t, h.Checks())
	require.Zero(t, attempts())

	<-h.slots
	_, err = svc.Authenticate(context.Background(), "nobody@acme.test", "a guess", client)
	require.ErrorIs(t, err, ErrInvalidCredentials)
	require.Equal(t, int64(1), h.Checks())
	require.Equal(t, 1, attempts())
}

// NewHasher sizes the slots to the CPUs the runtime uses.
func TestHasherRunsOneHashPerCPU(t *testing.T) {
	t.Parallel()
	h, err := NewHasher(argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
	require.NoError(t, err)
	require.Equal(t, runtime.GOMAXPROCS(0), cap(h.slots))
}
