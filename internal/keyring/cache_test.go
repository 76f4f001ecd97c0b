package keyring

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

func TestCacheClearsKeyOnExpiry(t *testing.T) {
	t.Parallel()

	clock := newFakeClock()
	c := newCache(clock.Now, time.Minute, 4)
	id := newCacheID(uuid.New(), []byte("wrapped"))
	key := bytes.Repeat([]byte{0xaa}, DataKeySize)

	c.put(id, key)
	clear(key)
	stored := c.items[id].Value.(*cacheEntry).key

	got, ok := c.get(id)
	require.True(t, ok)
	require.Equal(t, bytes.Repeat([]byte{0xaa}, DataKeySize), got, "put keeps its own copy")
	clear(got)
	got, ok = c.get(id)
	require.True(t, ok)
	require.Equal(t, bytes.Repeat([]byte{0xaa}, DataKeySize), got, "get hands out a copy")

	clock.Advance(time.Minute)
	_, ok = c.get(id)
	require.False(t, ok)
	require.Equal(t, make([]byte, DataKeySize), stored, "expired key bytes are cleared")
	require.Zero(t, c.order.Len())
	require.Empty(t, c.items)
}

func TestCacheClearsKeyOnEviction(t *testing.T) {
	t.Parallel()

	c := newCache(newFakeClock().Now, time.Minute, 2)
	ids := []cacheID{
		newCacheID(uuid.New(), []byte("a")),
		newCacheID(uuid.New(), []byte("b")),
		newCacheID(uuid.New(), []byte("c")),
	}
	c.put(ids[0], bytes.Repeat([]byte{1}, DataKeySize))
	first := c.items[ids[0]].Value.(*cacheEntry).key
	c.put(ids[1], bytes.Repeat([]byte{2}, DataKeySize))
	c.put(ids[2], bytes.Repeat([]byte{3}, DataKeySize))

	require.Equal(t, make([]byte, DataKeySize), first, "evicted key bytes are cleared")
	_, ok := c.get(ids[0])
	require.False(t, ok)
	require.Len(t, c.items, 2)
	for _, id := range ids[1:] {
		_, ok := c.get(id)
		require.True(t, ok)
	}
}

func TestCachePutReplacesEntry(t *testing.T) {
	t.Parallel()

	c := newCache(newFakeClock().Now, time.Minute, 2)
	id := newCacheID(uuid.New(), []byte("a"))
	c.put(id, bytes.Repeat([]byte{1}, DataKeySize))
	old := c.items[id].Value.(*cacheEntry).key
	c.put(id, bytes.Repeat([]byte{2}, DataKeySize))

	require.Equal(t, make([]byte, DataKeySize), old)
	require.Equal(t, 1, c.order.Len())
	got, ok := c.get(id)
	require.True(t, ok)
	require.Equal(t, bytes.Repeat([]byte{2}, DataKeySize), got)
}

func TestCacheIDBindsOrg(t *testing.T) {
	t.Parallel()

	wrapped := []byte("wrapped")
	require.NotEqual(t, newCacheID(uuid.New(), wrapped), newCacheID(uuid.New(), wrapped))
	orgID := uuid.New()
	require.Equal(t, newCacheID(orgID, wrapped), newCacheID(orgID, bytes.Clone(wrapped)))
}
