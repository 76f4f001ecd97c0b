package keyring

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/google/uuid"
)

// cacheID identifies a cached data key: sha256(org id | wrapped blob). The org
// id is part of it so that a cached key is never handed out for an
// organization whose encryption context was not checked by an unwrap.
type cacheID [sha256.Size]byte

func newCacheID(orgID uuid.UUID, wrapped []byte) cacheID {
	h := sha256.New()
	h.Write(orgID[:])
	h.Write(wrapped)
	var id cacheID
	h.Sum(id[:0])
	return id
}

// cache holds plaintext data keys for a short time so that Seal and Open do
// not call the wrapper every time. The time to live runs from insertion, so
// the oldest entry is always the next to expire and a single list ordered by
// insertion serves both expiry and eviction of the oldest when full. Key
// bytes are cleared when an entry leaves; callers get and give copies.
type cache struct {
	now  func() time.Time
	ttl  time.Duration
	size int

	mu    sync.Mutex
	order *list.List // of *cacheEntry, newest at the front
	items map[cacheID]*list.Element
}

type cacheEntry struct {
	id      cacheID
	key     []byte
	expires time.Time
}

// newCache returns a cache of at most size keys kept for ttl. A ttl or size of
// zero or less disables caching.
func newCache(now func() time.Time, ttl time.Duration, size int) *cache {
	return &cache{now: now, ttl: ttl, size: size, order: list.New(), items: make(map[cacheID]*list.Element)}
}

// get returns a copy of the cached key for id, which the caller clears.
func (c *cache) get(id cacheID) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire()
	el, ok := c.items[id]
	if !ok {
		return nil, false
	}
	return bytes.Clone(el.Value.(*cacheEntry).key), true
}

// put caches a copy of key for id.
func (c *cache) put(id cacheID, key []byte) {
	if c.ttl <= 0 || c.size <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire()
	if el, ok := c.items[id]; ok {
		c.remove(el)
	}
	c.items[id] = c.order.PushFront(&cacheEntry{id: id, key: bytes.Clone(key), expires: c.now().Add(c.ttl)})
	for c.order.Len() > c.size {
		c.remove(c.order.Back())
	}
}

// expire removes the entries whose time to live has passed.
func (c *cache) expire() {
	now := c.now()
	for el := c.order.Back(); el != nil && !now.Before(el.Value.(*cacheEntry).expires); el = c.order.Back() {
		c.remove(el)
	}
}

// remove drops el and clears its key bytes.
func (c *cache) remove(el *list.Element) {
	e := c.order.Remove(el).(*cacheEntry)
	clear(e.key)
	delete(c.items, e.id)
}
