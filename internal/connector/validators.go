package connector

import (
	"context"
	"time"
)

// Validated is a stored answer and the validator that names it (an ETag),
// with the answer's Link header (its pagination, to follow again when the
// stored answer is reused) and when the connector stored it, on its clock.
type Validated struct {
	Validator string
	Body      []byte
	Links     string
	StoredAt  time.Time
}

// Validators keeps one connection's conditional-request validators by URL,
// so that a resync asks whether an answer changed and reuses the stored one
// when it did not. They are not secrets. The platform stores them; a
// connector without conditional requests ignores them.
type Validators interface {
	// Get returns the answer stored for url, or false.
	Get(ctx context.Context, url string) (Validated, bool, error)
	// Put stores (or replaces) the answer for url.
	Put(ctx context.Context, url string, v Validated) error
}
