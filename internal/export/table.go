package export

import (
	"fmt"
	"io"
)

// tableBuffer is how much a Table gathers before writing to its writer.
const tableBuffer = 256 << 10

// Table writes one RFC 4180 CSV file (CRLF line ends, UTF-8, no BOM) with a
// header row, neutralizing every cell (see Neutralize). A cell is quoted
// when it holds a comma, a double quote or a line break, or starts with a
// space or a tab; quotes inside are doubled and line breaks are kept as
// they are. It encodes into its own buffer, without converting or copying
// cells: exports write millions of rows, and encoding/csv's per-cell
// scanning, then bufio's per-cell calls, were the export's hot spots.
type Table struct {
	w    io.Writer
	buf  []byte
	rows int
	// err is the first write error; every later call returns it.
	err error
}

// NewTable writes the header and returns the table.
func NewTable(w io.Writer, header []string) (*Table, error) {
	t := &Table{w: w, buf: make([]byte, 0, 2*tableBuffer)}
	t.cells(header)
	if err := t.endRow(); err != nil {
		return nil, err
	}
	return t, nil
}

// Write writes one data row, neutralizing its cells; the slice may be
// reused once Write returns.
func (t *Table) Write(cells []string) error {
	t.cells(cells)
	t.rows++
	return t.endRow()
}

func (t *Table) cells(cells []string) {
	for i, c := range cells {
		if i > 0 {
			t.buf = append(t.buf, ',')
		}
		t.buf = appendCell(t.buf, c)
	}
}

// endRow ends the row in the buffer and writes the buffer out once it is
// full.
func (t *Table) endRow() error {
	t.buf = append(t.buf, '\r', '\n')
	if len(t.buf) < tableBuffer {
		return t.err
	}
	return t.Flush()
}

// appendCell appends cell c, neutralized and quoted as needed.
func appendCell[T string | []byte](dst []byte, c T) []byte {
	formula := formulaLike(c)
	if !needsQuotes(c, formula) {
		if formula {
			dst = append(dst, '\'')
		}
		return append(dst, c...)
	}
	dst = append(dst, '"')
	if formula {
		dst = append(dst, '\'')
	}
	from := 0
	for i := 0; i < len(c); i++ {
		if c[i] == '"' {
			dst = append(append(dst, c[from:i+1]...), '"')
			from = i + 1
		}
	}
	return append(append(dst, c[from:]...), '"')
}

// needsQuotes reports whether cell c, neutralized when formula is set, must
// be quoted to read back as itself: it holds a comma, a double quote or a
// line break, or starts with a space or a tab.
func needsQuotes[T string | []byte](c T, formula bool) bool {
	if len(c) == 0 {
		return false
	}
	if !formula && (c[0] == ' ' || c[0] == '\t') {
		return true
	}
	i := 0
	for ; i+8 <= len(c); i += 8 {
		// Eight bytes at a time: a byte of x equal to b is a zero byte of
		// x^b, which the classic (y-0x01…)&^y&0x80… test finds.
		x := uint64(c[i]) | uint64(c[i+1])<<8 | uint64(c[i+2])<<16 | uint64(c[i+3])<<24 |
			uint64(c[i+4])<<32 | uint64(c[i+5])<<40 | uint64(c[i+6])<<48 | uint64(c[i+7])<<56
		if hasByte(x, ',')|hasByte(x, '"')|hasByte(x, '\r')|hasByte(x, '\n') != 0 {
			return true
		}
	}
	for ; i < len(c); i++ {
		switch c[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return false
}

// hasByte is non-zero when one of the eight bytes of x is b.
func hasByte(x uint64, b byte) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	y := x ^ (ones * uint64(b))
	return (y - ones) &^ y & highs
}

// Flush writes any buffered rows to the underlying writer.
func (t *Table) Flush() error {
	if t.err == nil && len(t.buf) > 0 {
		if _, err := t.w.Write(t.buf); err != nil {
			t.err = fmt.Errorf("export: write csv: %w", err)
		}
	}
	t.buf = t.buf[:0]
	return t.err
}

// Rows is the number of data rows written.
func (t *Table) Rows() int { return t.rows }
