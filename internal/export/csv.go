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

// Row is one evidence record as the export reads it. Its byte slices may
// be the database driver's memory, valid only during the call they are
// passed to.
type Row struct {
	Connection  []byte
	Kind        []byte
	Subject     []byte
	ObservedAt  time.Time
	CollectedAt time.Time
	Fingerprint []byte
	// Payload is the record's evidence JSON.
	Payload []byte
}

// CSV writes the evidence records of one kind as CSV (see the package doc
// for the columns and the format).
type CSV struct {
	table *Table
	kind  connector.EvidenceKind
	// org and criteria are the same in every row: encoded once.
	org, criteria []byte
	fields        evidence.Fields
	scratch       []byte
}

// NewCSV writes the header of kind k's CSV for organization org.
func NewCSV(w io.Writer, org string, k connector.EvidenceKind) (*CSV, error) {
	t, err := NewTable(w, Columns(k))
	if err != nil {
		return nil, err
	}
	return &CSV{table: t, kind: k, org: appendCell(nil, org), criteria: appendCell(nil, strings.Join(k.Criteria, "; "))}, nil
}

// Write writes one record, encoding it straight into the table's buffer.
func (c *CSV) Write(r Row) error {
	t := c.table
	b := append(t.buf, c.org...)
	for _, cell := range [...][]byte{r.Connection, r.Kind, r.Subject} {
		b = appendCell(append(b, ','), cell)
	}
	for _, at := range [...]time.Time{r.ObservedAt, r.CollectedAt} {
		c.scratch = at.UTC().AppendFormat(c.scratch[:0], time.RFC3339Nano)
		b = appendCell(append(b, ','), c.scratch)
	}
	c.scratch = hex.AppendEncode(c.scratch[:0], r.Fingerprint)
	b = appendCell(append(b, ','), c.scratch)
	b = append(append(b, ','), c.criteria...)
	c.fields.Render(c.kind.Fields, r.Payload)
	for i := range c.kind.Fields {
		b = appendCell(append(b, ','), c.fields.Field(i))
	}
	t.buf = b
	t.rows++
	return t.endRow()
}

// Flush writes any buffered rows to the underlying writer.
func (c *CSV) Flush() error { return c.table.Flush() }

// Rows is the number of records written.
func (c *CSV) Rows() int { return c.table.Rows() }
