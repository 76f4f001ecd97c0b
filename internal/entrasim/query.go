package entrasim

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// queryShape is what scopes, licensing and throttling need to know of a
// list request.
type queryShape struct {
	// selected is true when $select was given.
	selected bool
	// activity is true when $select names signInActivity.
	activity bool
	// top is the $top value (0 when absent).
	top int
}

// listQuery is a parsed list request for a collection of T.
type listQuery[T any] struct {
	queryShape
	sel       []int    // selected properties, in schema order
	selNames  []string // selected property names, as requested order, canonical case
	count     bool
	preds     []predicate[T]
	cursor    cursor
	hasCursor bool
}

// page returns the page index of the request (0 without $skiptoken).
func (q *listQuery[T]) page() int { return q.cursor.page }

// matches reports whether v satisfies every $filter clause.
func (q *listQuery[T]) matches(v *T) bool {
	for _, p := range q.preds {
		if !p(v) {
			return false
		}
	}
	return true
}

// parseQuery parses r's OData query options for c. It always fills the query
// shape it could read ($select first), even when it also returns an error.
func (c *collection[T]) parseQuery(s *Simulator, t *Tenant, r *http.Request) (listQuery[T], *graphError) {
	q := listQuery[T]{sel: c.schema.defaults}
	vals, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return q, c.badRequest("The query specified in the URI is not valid.")
	}
	options := map[string]string{}
	for key, v := range vals {
		if !strings.HasPrefix(key, "$") {
			continue
		}
		lk := strings.ToLower(key)
		if _, dup := options[lk]; dup || len(v) > 1 {
			return q, c.badRequest(fmt.Sprintf("Query option '%s' was specified more than once, but it must be specified at most once.", key))
		}
		options[lk] = v[0]
	}
	if v, ok := options["$select"]; ok {
		if e := c.parseSelect(&q, v); e != nil {
			return q, e
		}
	}
	for _, k := range slices.Sorted(maps.Keys(options)) {
		v := options[k]
		var e *graphError
		switch k {
		case "$select": // parsed above
		case "$top":
			e = c.parseTop(&q, v)
		case "$filter":
			e = c.parseFilter(&q, v)
		case "$count":
			e = c.parseCount(&q, v, r)
		case "$skiptoken":
			cur, err := s.decodeCursor(t.id, c.dataset, v)
			if err != nil {
				e = c.badRequest("The $skiptoken value is not valid.")
			}
			q.cursor, q.hasCursor = cur, err == nil
		default:
			e = c.badRequest(fmt.Sprintf("Query option '%s' is not supported by the Microsoft Graph simulator.", k))
		}
		if e != nil {
			return q, e
		}
	}
	return q, nil
}

func (c *collection[T]) badRequest(message string) *graphError {
	return &graphError{http.StatusBadRequest, c.badRequestCode, message}
}

func (c *collection[T]) parseSelect(q *listQuery[T], v string) *graphError {
	q.selected = true
	q.sel, q.selNames = nil, nil
	for name := range strings.SplitSeq(v, ",") {
		name = strings.TrimSpace(name)
		i, ok := c.schema.lookup(name)
		if !ok {
			return c.badRequest(fmt.Sprintf("Could not find a property named '%s' on type '%s'.", name, c.schema.typeName))
		}
		if slices.Contains(q.sel, i) {
			continue
		}
		q.sel = append(q.sel, i)
		q.selNames = append(q.selNames, c.schema.props[i].name)
		q.activity = q.activity || c.schema.props[i].name == signInActivityProperty
	}
	slices.Sort(q.sel)
	return nil
}

func (c *collection[T]) parseTop(q *listQuery[T], v string) *graphError {
	if c.maxTop == 0 {
		return c.badRequest("The query specified in the URI is not valid. Query option 'Top' is not allowed. " +
			"To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.")
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > c.maxTop {
		return c.badRequest(fmt.Sprintf("Invalid page size specified: '%s'. Must be between 1 and %d inclusive.", v, c.maxTop))
	}
	q.top = n
	return nil
}

func (c *collection[T]) parseFilter(q *listQuery[T], v string) *graphError {
	preds, err := parseFilter(c.schema, v)
	if err == nil {
		q.preds = preds
		return nil
	}
	var fe *filterError
	if errors.As(err, &fe) && fe.property != "" && c.dataset == DatasetUsers {
		return &graphError{http.StatusBadRequest, "Request_UnsupportedQuery", fmt.Sprintf(
			"Unsupported or invalid query filter clause specified for property '%s' of resource '%s'.", fe.property, c.schema.resource)}
	}
	return c.badRequest("Invalid filter clause: " + err.Error() + ".")
}

func (c *collection[T]) parseCount(q *listQuery[T], v string, r *http.Request) *graphError {
	switch strings.ToLower(v) {
	case "true":
		q.count = true
	case "false":
	default:
		return c.badRequest(fmt.Sprintf("Invalid value '%s' for $count query option found.", v))
	}
	if q.count && c.countNeedsEventual && !strings.EqualFold(r.Header.Get("ConsistencyLevel"), "eventual") {
		return c.badRequest("$count is not currently supported.")
	}
	return nil
}
