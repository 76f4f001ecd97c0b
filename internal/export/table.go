package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Table writes one RFC 4180 CSV file (CRLF line ends, UTF-8, no BOM) with a
// header row, neutralizing every cell (see Neutralize). A cell is quoted
// when it holds a comma, a double quote or a line break, or starts with a
// space or a tab; quotes inside are doubled and line breaks are kept as
// they are. It writes through its own buffer: exports write millions of
// rows, and encoding/csv's per-cell scanning was the export's hot spot.
type Table struct {
	w    *bufio.Writer
	rows int
}

// NewTable writes the header and returns the table.
func NewTable(w io.Writer, header []string) (*Table, error) {
	t := &Table{w: bufio.NewWriterSize(w, 64<<10)}
	if err := t.write(header); err != nil {
		return nil, err
	}
	return t, nil
}

// Write writes one data row, neutralizing its cells in place; the slice may
// be reused once Write returns.
func (t *Table) Write(cells []string) error {
	if err := t.write(cells); err != nil {
		return err
	}
	t.rows++
	return nil
}

func (t *Table) write(cells []string) error {
	for i, c := range cells {
		if i > 0 {
			_ = t.w.WriteByte(',')
		}
		c = Neutralize(c)
		if !needsQuotes(c) {
			_, _ = t.w.WriteString(c)
			continue
		}
		_ = t.w.WriteByte('"')
		for {
			j := strings.IndexByte(c, '"')
			if j < 0 {
				break
			}
			_, _ = t.w.WriteString(c[:j+1])
			_ = t.w.WriteByte('"')
			c = c[j+1:]
		}
		_, _ = t.w.WriteString(c)
		_ = t.w.WriteByte('"')
	}
	// bufio.Writer keeps its first error and returns it from every later
	// call, so checking the last write covers the row.
	if _, err := t.w.WriteString("\r\n"); err != nil {
		return fmt.Errorf("export: write csv row: %w", err)
	}
	return nil
}

// needsQuotes reports whether a cell must be quoted to read back as itself.
func needsQuotes(c string) bool {
	if c == "" {
		return false
	}
	if c[0] == ' ' || c[0] == '\t' {
		return true
	}
	for i := 0; i < len(c); i++ {
		switch c[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return false
}

// Flush writes any buffered rows to the underlying writer.
func (t *Table) Flush() error {
	if err := t.w.Flush(); err != nil {
		return fmt.Errorf("export: flush csv: %w", err)
	}
	return nil
}

// Rows is the number of data rows written.
func (t *Table) Rows() int { return t.rows }
