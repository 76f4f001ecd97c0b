package orgview

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/singleflight"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/connector"
)

// DefaultMaxOrgs is how many organizations' views a cache keeps by default.
const DefaultMaxOrgs = 1024

// Cache keeps the newest view of each organization a replica has read,
// keyed by the organization's read version and the day. It is safe for
// concurrent use; requests that miss together share one read.
type Cache struct {
	// Pool is where views are read from.
	Pool db.Beginner
	// Registry gives checks their definitions.
	Registry *connector.Registry
	// MaxOrgs bounds the organizations kept (DefaultMaxOrgs when zero); past
	// it, an arbitrary other organization's view is dropped.
	MaxOrgs int

	mu     sync.Mutex
	views  map[uuid.UUID]*View
	reads  singleflight.Group
	misses int64
}

// Get returns the organization's view at version (read by the request, in
// the transaction that admitted it) for the UTC day of now: the kept one
// when it is that version's, otherwise a fresh read, which is at least that
// version.
func (c *Cache) Get(ctx context.Context, orgID uuid.UUID, version int64, now time.Time) (*View, error) {
	day := now.UTC().Truncate(24 * time.Hour)
	c.mu.Lock()
	v := c.views[orgID]
	c.mu.Unlock()
	if v != nil && v.Version >= version && v.Day.Equal(day) {
		return v, nil
	}
	key := orgID.String() + "/" + strconv.FormatInt(version, 10) + "/" + day.Format(time.DateOnly)
	got, err, _ := c.reads.Do(key, func() (any, error) {
		// Shared by every request waiting on it: one leaving does not
		// cancel the others' read.
		ctx := context.WithoutCancel(ctx)
		var fresh *View
		err := db.ReadInOrg(ctx, c.Pool, orgID, func(tx pgx.Tx) error {
			var err error
			fresh, err = Read(ctx, tx, c.Registry, orgID, day)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("orgview: %w", err)
		}
		c.keep(orgID, fresh)
		return fresh, nil
	})
	if err != nil {
		return nil, err
	}
	return got.(*View), nil
}

// Misses counts the reads the cache has made.
func (c *Cache) Misses() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.misses
}

// keep stores v unless a newer view of the organization is kept already.
func (c *Cache) keep(orgID uuid.UUID, v *View) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.misses++
	if c.views == nil {
		c.views = map[uuid.UUID]*View{}
	}
	if old := c.views[orgID]; old != nil && (old.Version > v.Version || old.Day.After(v.Day)) {
		return
	}
	if _, ok := c.views[orgID]; !ok && len(c.views) >= cmp.Or(c.MaxOrgs, DefaultMaxOrgs) {
		for other := range c.views { // map order: an arbitrary one
			delete(c.views, other)
			break
		}
	}
	c.views[orgID] = v
}
