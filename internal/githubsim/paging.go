package githubsim

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The documented page sizes (github.md section 9).
const (
	defaultPerPage = 30
	maxPerPage     = 100
)

// perPage reads per_page: 30 when absent or unreadable, at most 100.
func perPage(q url.Values) int {
	n, err := strconv.Atoi(q.Get("per_page"))
	if err != nil || n < 1 {
		return defaultPerPage
	}
	return min(n, maxPerPage)
}

// paginate serves one page of items by page number: the items of the page
// and the Link header (prev, next, last, first as GitHub orders them,
// omitted when everything fits on one page). It answers 422 for a page
// that is not a number and reports false.
func paginate[T any](c *call, items []T) ([]T, string, bool) {
	q := c.r.URL.Query()
	size := perPage(q)
	page := 1
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			c.fail(http.StatusUnprocessableEntity, msgValidationFailed)
			return nil, "", false
		}
		page = max(n, 1)
	}
	last := max((len(items)+size-1)/size, 1)
	lo := min((page-1)*size, len(items))
	hi := min(lo+size, len(items))
	out := items[lo:hi]
	if out == nil {
		out = []T{}
	}
	if last == 1 {
		return out, "", true
	}
	var links []string
	rel := func(n int, name string) {
		links = append(links, fmt.Sprintf("<%s>; rel=%q", pageURL(c.r, "page", strconv.Itoa(n)), name))
	}
	if page > 1 {
		rel(min(page-1, last), "prev")
	}
	if page < last {
		rel(page+1, "next")
		rel(last, "last")
	}
	if page > 1 {
		rel(1, "first")
	}
	return out, strings.Join(links, ", "), true
}

// pageURL is the request's absolute URL with key set to value (and the
// opposite cursor removed, for cursor pagination).
func pageURL(r *http.Request, key, value string) string {
	q := r.URL.Query()
	switch key {
	case "after":
		q.Del("before")
	case "before":
		q.Del("after")
	}
	q.Set(key, value)
	return origin(r) + r.URL.EscapedPath() + "?" + q.Encode()
}

// sortedKeys returns a map's keys in order.
func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	return slices.Sorted(maps.Keys(m))
}
