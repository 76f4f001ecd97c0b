package export

import (
	"context"
	"io"

	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/internal/connector"
)

// FlushEvery is how many rows a download streams between flushes.
const FlushEvery = 2000

// KindCSV streams one evidence kind's records into a CSV.
type KindCSV struct {
	// Org is the organization's slug, the CSV's first column.
	Org string
	// Open opens the CSV's destination when the first record arrives, or at
	// the end when there was none and Always is set.
	Open   func() (io.Writer, error)
	Always bool
	// Flush, when set, is called after every FlushEvery rows, once they
	// were written to the destination (a response streaming to a client).
	Flush func()
}

// Write streams the records of kind k matching f and returns their count.
func (e KindCSV) Write(ctx context.Context, tx pgx.Tx, k connector.EvidenceKind, f Filter) (int, error) {
	var w *CSV
	start := func() error {
		out, err := e.Open()
		if err == nil {
			w, err = NewCSV(out, e.Org, k)
		}
		return err
	}
	f.Kind = k.Kind
	n, err := Evidence(ctx, tx, f, func(r Row) error {
		if w == nil {
			if err := start(); err != nil {
				return err
			}
		}
		if err := w.Write(r); err != nil {
			return err
		}
		if w.Rows()%FlushEvery == 0 {
			if err := w.Flush(); err != nil {
				return err
			}
			if e.Flush != nil {
				e.Flush()
			}
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	if w == nil && e.Always {
		if err := start(); err != nil {
			return n, err
		}
	}
	if w != nil {
		return n, w.Flush()
	}
	return n, nil
}
