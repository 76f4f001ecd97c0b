// Package layout holds the page shell every screen renders inside, its view
// models, and the per-request values (CSRF token, request id, clock) that
// components read from the context.
package layout

import (
	"context"
	"time"
)

// Request carries per-request values templates need but handlers should not
// thread through every view model.
type Request struct {
	CSRF      string
	RequestID string
	Now       time.Time
	Path      string
}

type requestKey struct{}

// WithRequest stores r in ctx for templates.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the request values stored in ctx.
func RequestFrom(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	if r.Now.IsZero() {
		r.Now = time.Now()
	}
	return r
}
