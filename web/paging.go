package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/views/components"
)

// pageCount is the last page an offset pager of size rows a page accepts:
// the offset (page-1)*size must fit PostgreSQL's int4 OFFSET parameter.
func pageCount(size int) int { return math.MaxInt32/size + 1 }

// parsePage reads an offset pager's page number: empty is the first page;
// anything but a whole number from 1 to pageCount(size) is refused before
// any arithmetic is done with it.
func parsePage(raw string, size int) (int, error) {
	if raw == "" {
		return 1, nil
	}
	last := pageCount(size)
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > last {
		return 0, echo.NewHTTPError(http.StatusBadRequest, "No such page: pages are numbered from 1 to "+components.Int(int64(last))+".")
	}
	return n, nil
}

// Keyset cursors carry a collection time, which must stay within what
// PostgreSQL's timestamptz stores and a record can have.
var (
	cursorEarliest = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	cursorLatest   = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC).UnixMicro()
)

// parseCursor reads an evidence list cursor "<collected micros>_<id>";
// ok is false for anything malformed or out of range.
func parseCursor(s string) (int64, int64, bool) {
	a, b, ok := strings.Cut(s, "_")
	if !ok {
		return 0, 0, false
	}
	micros, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || micros < cursorEarliest || micros > cursorLatest || id < 1 {
		return 0, 0, false
	}
	return micros, id, true
}
