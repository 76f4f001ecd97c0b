package keyring

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// fakeClock is a clock that tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// countingWrapper counts the Unwrap calls that reach the wrapped Wrapper.
type countingWrapper struct {
	Wrapper
	unwraps atomic.Int64
}

func (w *countingWrapper) Unwrap(ctx context.Context, orgID uuid.UUID, wrapped []byte) ([]byte, error) {
	w.unwraps.Add(1)
	return w.Wrapper.Unwrap(ctx, orgID, wrapped)
}

// newTestLocalWrapper returns a LocalWrapper with a fresh key file.
func newTestLocalWrapper(t *testing.T) *LocalWrapper {
	t.Helper()
	w, err := OpenLocalKeyFile(filepath.Join(t.TempDir(), "master.key"), true)
	require.NoError(t, err)
	return w
}
