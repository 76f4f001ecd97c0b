package github

import (
	"context"

	"github.com/attesthq/attest/internal/connector"
)

// validatorCache is the platform's stored validators (the connection's
// ETags and the answers they name) as the client's Cache. A store that
// fails only costs budget: the request then goes out unconditionally, or
// its answer is asked again next sync, so its errors are not the sync's.
type validatorCache struct {
	ctx context.Context
	v   connector.Validators
}

// Get returns the stored answer of url.
func (c validatorCache) Get(url string) (connector.Validated, bool) {
	v, ok, err := c.v.Get(c.ctx, url)
	return v, ok && err == nil
}

// Put stores url's answer.
func (c validatorCache) Put(url string, v connector.Validated) {
	_ = c.v.Put(c.ctx, url, v)
}
