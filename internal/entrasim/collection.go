package entrasim

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// demands are what a list request needs: the scopes, licence and throttling
// rules that apply to it.
type demands struct {
	family     Family
	perms      permissions
	minLicence Licence
	licenceErr graphError
	// activity charges the signInActivity bucket as well.
	activity bool
	// pageCap caps the page size below $top (0: no cap).
	pageCap int
	// units is the resource-unit cost of a directory request.
	units int
}

// licenceRank orders licences so that a higher tier includes the lower ones.
func licenceRank(l Licence) int {
	switch l {
	case LicenceFree:
		return 0
	case LicenceP1:
		return 1
	default:
		return 2
	}
}

// collection is one Graph list endpoint serving items of type T.
type collection[T any] struct {
	dataset   Dataset
	entitySet string // path after /v1.0/, as in @odata.context
	schema    *schema[T]
	// defaultTop is the page size without $top; maxTop the largest $top
	// accepted (0: $top is rejected).
	defaultTop, maxTop int
	// badRequestCode is the error code of this service's 400 answers.
	badRequestCode string
	// countNeedsEventual requires ConsistencyLevel: eventual for $count, as
	// directory objects do.
	countNeedsEventual bool
	rows               func(d *TenantData) []T
	key                func(v *T) sortKey
	// view, if set, returns v as the tenant's licence lets it be seen: v
	// itself or a modified copy written to scratch.
	view    func(lic Licence, v, scratch *T) *T
	demands func(q queryShape) demands
}

// endpoint is a Graph resource the simulator serves.
type endpoint interface {
	serve(s *Simulator, c *graphCall, g *accessGrant)
}

const graphContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

var pagePool = sync.Pool{New: func() any {
	b := make([]byte, 0, 64<<10)
	return &b
}}

func (coll *collection[T]) serve(s *Simulator, c *graphCall, g *accessGrant) {
	t := g.tenant
	q, qerr := coll.parseQuery(s, t, c.r)
	d := coll.demands(q.queryShape)
	t.stats.request(d.family, coll.dataset)
	at := s.mono()
	status := coll.answer(s, c, g, &q, qerr, d, at)
	t.stats.answered(d.family, Request{At: at, Dataset: coll.dataset, Families: d.families(), Status: status,
		RetryAfter: c.w.Header().Get("Retry-After")})
}

// answer writes the answer to a list request that arrived at the monotonic
// instant at and returns its status (0 when the client went away during an
// injected delay).
func (coll *collection[T]) answer(s *Simulator, c *graphCall, g *accessGrant, q *listQuery[T], qerr *graphError, d demands, at time.Time) int {
	t := g.tenant
	if g.perms&d.perms != d.perms {
		c.fail(errDenied)
		return errDenied.status
	}
	f, faulted := t.faults.take(coll.dataset, q.page())
	switch {
	case faulted:
		f.arrived()
		if !sleep(c.r.Context(), f.Delay) {
			return 0
		}
		if f.RetryAfter != "" {
			c.w.Header().Set("Retry-After", f.RetryAfter)
		}
		if f.Status != 0 {
			if f.Status == http.StatusTooManyRequests {
				c.throttled("")
			} else {
				c.fail(faultError(f.Status))
			}
			return f.Status
		}
	case s.throttle:
		v := t.limits.admit(d, g.clientID, t.id, at)
		for k, val := range v.headers {
			c.w.Header().Set(k, val)
		}
		if !v.ok {
			c.throttled(v.retryAfter)
			return http.StatusTooManyRequests
		}
	}
	lic := t.Licence()
	if licenceRank(lic) < licenceRank(d.minLicence) {
		c.fail(d.licenceErr)
		return d.licenceErr.status
	}
	if qerr != nil {
		c.fail(*qerr)
		return qerr.status
	}
	coll.writePage(s, c, t, q, d, lic, f.Malformed)
	return http.StatusOK
}

// writePage encodes one page into a pooled buffer and writes it; malformed
// truncates the body to invalid JSON.
func (coll *collection[T]) writePage(s *Simulator, c *graphCall, t *Tenant, q *listQuery[T], d demands, lic Licence, malformed bool) {
	size := q.top
	if size == 0 {
		size = coll.defaultTop
	}
	if d.pageCap > 0 {
		size = min(size, d.pageCap)
	}
	bp := pagePool.Get().(*[]byte)
	b := append((*bp)[:0], `{"@odata.context":`...)
	b = appendString(b, coll.contextURL(s, c.r, q))

	t.mu.RLock()
	rows := coll.rows(t.data)
	start := 0
	if q.hasCursor {
		start = sort.Search(len(rows), func(i int) bool { return compareKeys(coll.key(&rows[i]), q.cursor.last) > 0 })
	}
	var scratch T
	see := func(i int) *T {
		if coll.view == nil {
			return &rows[i]
		}
		return coll.view(lic, &rows[i], &scratch)
	}
	if q.count && !q.hasCursor {
		n := 0
		for i := range rows {
			if q.matches(see(i)) {
				n++
			}
		}
		b = append(b, `,"@odata.count":`...)
		b = appendInt(b, n)
	}
	b = append(b, `,"value":[`...)
	n, more, last := 0, false, sortKey{}
	for i := start; i < len(rows); i++ {
		v := see(i)
		if !q.matches(v) {
			continue
		}
		if n == size {
			more = true
			break
		}
		if n > 0 {
			b = append(b, ',')
		}
		b = coll.schema.encode(b, v, q.sel)
		n++
		last = coll.key(&rows[i])
	}
	t.mu.RUnlock()

	b = append(b, ']')
	if more {
		token := s.encodeCursor(t.id, coll.dataset, cursor{page: q.page() + 1, last: last})
		b = append(b, `,"@odata.nextLink":`...)
		b = appendString(b, nextLink(c, token))
	}
	b = append(b, '}')
	if malformed {
		b = b[:len(b)/2]
	}
	h := c.w.Header()
	h.Set("Content-Type", graphContentType)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(b)
	*bp = b
	pagePool.Put(bp)
}

// contextURL is the page's @odata.context.
func (coll *collection[T]) contextURL(s *Simulator, r *http.Request, q *listQuery[T]) string {
	u := s.graphRoot(r) + "/v1.0/$metadata#" + coll.entitySet
	if q.selected {
		u += "(" + strings.Join(q.selNames, ",") + ")"
	}
	return u
}
