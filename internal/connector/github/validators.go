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

// Get returns the stored ETag, body and Link header of url.
func (c validatorCache) Get(url string) (string, []byte, string, bool) {
	val, ok, err := c.v.Get(c.ctx, url)
	if err != nil || !ok {
		return "", nil, "", false
	}
	return val.Validator, val.Body, val.Links, true
}

// Put stores url's answer under its ETag.
func (c validatorCache) Put(url, etag string, body []byte, link string) {
	_ = c.v.Put(c.ctx, url, connector.Validated{Validator: etag, Body: body, Links: link})
}
