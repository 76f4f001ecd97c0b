package web

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// The limiter holds both limits: an organization's share, and the total
// over every organization; a release frees a place for anyone.
func TestExportLimiterHoldsPerOrganizationAndTotalLimits(t *testing.T) {
	t.Parallel()
	l := newExportLimiter(3, 2)
	a, b, c := uuid.New(), uuid.New(), uuid.New()
	require.True(t, l.acquire(a))
	require.True(t, l.acquire(a))
	require.False(t, l.acquire(a), "a's share is 2")
	require.True(t, l.acquire(b))
	require.False(t, l.acquire(c), "3 in total")
	l.release(a)
	require.True(t, l.acquire(c))
	require.False(t, l.acquire(b), "full again")
	l.release(b)
	l.release(c)
	l.release(a)
	require.Zero(t, l.running)
	require.Empty(t, l.byOrg)
}
