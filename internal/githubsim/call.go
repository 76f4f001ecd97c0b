package githubsim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The API versions GitHub serves (github.md section 10); 2022-11-28 is what
// an unversioned request gets.
var apiVersions = map[string]bool{"2022-11-28": true, "2026-03-10": true}

const defaultAPIVersion = "2022-11-28"

// acceptJSON is the recommended Accept header.
const acceptJSON = "application/vnd.github+json"

// maxConcurrent is the documented secondary limit on concurrent requests.
const maxConcurrent = 100

// call is one API request being served, under the simulator's lock.
type call struct {
	s       *Simulator
	w       http.ResponseWriter
	r       *http.Request
	now     time.Time
	pattern string
	// app is the App a JWT authenticated.
	app *app
	// inst is the installation a token authenticated; budget its primary
	// rate limit.
	inst   *installation
	tok    *token
	budget *budget
}

// handler serves one API request.
type handler func(c *call)

// begin checks what GitHub checks of every request (a User-Agent, a known
// API version, the concurrency limit) and starts a call holding the lock.
// The caller must call end when begin returns a call.
func (s *Simulator) begin(w http.ResponseWriter, r *http.Request) *call {
	if r.Header.Get("User-Agent") == "" {
		writeError(w, http.StatusForbidden, msgUserAgent)
		return nil
	}
	version := r.Header.Get("X-GitHub-Api-Version")
	if version == "" {
		version = defaultAPIVersion
	}
	if !apiVersions[version] {
		writeError(w, http.StatusBadRequest, "Unknown API version: "+version)
		return nil
	}
	w.Header().Set("X-GitHub-Api-Version-Selected", version)
	if s.inflight.Add(1) > maxConcurrent {
		s.inflight.Add(-1)
		writeError(w, http.StatusForbidden, msgSecondary)
		return nil
	}
	s.mu.Lock()
	c := &call{s: s, w: w, r: r, now: s.now(), pattern: r.Method + " " + strings.TrimPrefix(r.Pattern, r.Method+" "+s.api)}
	s.requests[c.pattern]++
	if r.Header.Get("Accept") != acceptJSON {
		s.withoutAccept++
	}
	return c
}

func (c *call) end() {
	c.s.mu.Unlock()
	c.s.inflight.Add(-1)
}

// open serves an endpoint that needs no authentication.
func (s *Simulator) open(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := s.begin(w, r)
		if c == nil {
			return
		}
		defer c.end()
		h(c)
	}
}

// withJWT serves an App endpoint: the request must carry a valid App JWT
// with the Bearer scheme.
func (s *Simulator) withJWT(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := s.begin(w, r)
		if c == nil {
			return
		}
		defer c.end()
		a, msg := s.verifyJWT(r.Header.Get("Authorization"), c.now)
		if a == nil {
			c.fail(http.StatusUnauthorized, msg)
			return
		}
		c.app = a
		h(c)
	}
}

// data serves an endpoint read with an installation token: authentication,
// the primary and secondary rate limits, then the permission the endpoint
// needs (none when perm is empty).
func (s *Simulator) data(route, perm string, h handler) {
	method, path, _ := strings.Cut(route, " ")
	s.mux.HandleFunc(method+" "+s.api+path, func(w http.ResponseWriter, r *http.Request) {
		c := s.begin(w, r)
		if c == nil {
			return
		}
		defer c.end()
		tok, status, msg := s.authenticate(r.Header.Get("Authorization"), c.now)
		if tok == nil {
			c.fail(status, msg)
			return
		}
		inst := s.installs[tok.installation]
		c.inst, c.tok, c.budget = inst, tok, s.budgetOf(inst, c.now)
		if c.budget.used >= c.budget.limit {
			c.fail(http.StatusForbidden, "API rate limit exceeded for installation ID "+strconv.FormatInt(inst.id, 10)+".")
			return
		}
		if s.secondary(c) {
			return
		}
		c.budget.used++
		if perm != "" && tok.permissions[perm] == "" {
			c.w.Header().Set("X-Accepted-GitHub-Permissions", perm+"=read")
			c.fail(http.StatusForbidden, msgNotAccessible)
			return
		}
		h(c)
	})
}

// rateHeaders writes the primary limit's headers of a token request.
func (c *call) rateHeaders() {
	if c.budget == nil {
		return
	}
	h := c.w.Header()
	h.Set("X-Ratelimit-Limit", strconv.Itoa(c.budget.limit))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(max(c.budget.limit-c.budget.used, 0)))
	h.Set("X-Ratelimit-Used", strconv.Itoa(c.budget.used))
	h.Set("X-Ratelimit-Reset", strconv.FormatInt(c.budget.reset.Unix(), 10))
	h.Set("X-Ratelimit-Resource", "core")
}

// fail answers GitHub's error body.
func (c *call) fail(status int, message string) {
	c.rateHeaders()
	writeError(c.w, status, message)
}

// json answers v with status, an ETag over the body, and link as the Link
// header when not empty. A GET whose If-None-Match names the ETag gets a
// 304, which does not count against the primary limit.
func (c *call) json(status int, v any, link string) {
	b, err := json.Marshal(v)
	if err != nil {
		c.fail(http.StatusInternalServerError, "Server Error")
		return
	}
	sum := sha256.Sum256(append(b, link...))
	etag := `W/"` + hex.EncodeToString(sum[:16]) + `"`
	h := c.w.Header()
	h.Set("ETag", etag)
	if link != "" {
		h.Set("Link", link)
	}
	if c.r.Method == http.MethodGet && etagMatches(c.r.Header.Get("If-None-Match"), etag) {
		if c.budget != nil {
			c.budget.used--
		}
		c.rateHeaders()
		c.w.WriteHeader(http.StatusNotModified)
		return
	}
	c.rateHeaders()
	h.Set("Content-Type", "application/json; charset=utf-8")
	c.w.WriteHeader(status)
	_, _ = c.w.Write(b)
}

// etagMatches reports whether an If-None-Match header names etag.
func etagMatches(header, etag string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		if t := strings.TrimSpace(tag); t == etag || t == "*" {
			return true
		}
	}
	return false
}
