package export

import (
	"encoding/hex"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/evidence"
)

// fixedColumns are the columns every evidence CSV starts with.
var fixedColumns = []string{"organization", "connection", "kind", "subject", "observed_at", "collected_at", "fingerprint", "criteria"}

// Columns is the header of a kind's CSV: the fixed columns, then the kind's
// typed fields in their documented order.
func Columns(k connector.EvidenceKind) []string {
	return append(slices.Clone(fixedColumns), k.Fields...)
}

// Row is one evidence record as the export reads it.
type Row struct {
	Connection  string
	Kind        string
	Subject     string
	ObservedAt  time.Time
	CollectedAt time.Time
	Fingerprint []byte
	// Payload is the record's evidence JSON.
	Payload []byte
}

// CSV writes the evidence records of one kind as CSV (see the package doc
// for the columns and the format).
type CSV struct {
	table    *Table
	org      string
	kind     connector.EvidenceKind
	criteria string
	cells    []string
}

// NewCSV writes the header of kind k's CSV for organization org.
func NewCSV(w io.Writer, org string, k connector.EvidenceKind) (*CSV, error) {
	t, err := NewTable(w, Columns(k))
	if err != nil {
		return nil, err
	}
	return &CSV{table: t, org: org, kind: k, criteria: strings.Join(k.Criteria, "; "),
		cells: make([]string, 0, len(fixedColumns)+len(k.Fields))}, nil
}

// Write writes one record.
func (c *CSV) Write(r Row) error {
	c.cells = append(c.cells[:0], c.org, r.Connection, r.Kind, r.Subject,
		r.ObservedAt.UTC().Format(time.RFC3339Nano), r.CollectedAt.UTC().Format(time.RFC3339Nano),
		hex.EncodeToString(r.Fingerprint), c.criteria)
	c.cells = append(c.cells, evidence.Flatten(c.kind.Fields, r.Payload)...)
	return c.table.Write(c.cells)
}

// Flush writes any buffered rows to the underlying writer.
func (c *CSV) Flush() error { return c.table.Flush() }

// Rows is the number of records written.
func (c *CSV) Rows() int { return c.table.Rows() }
