package web

import (
	"net/http"
	"slices"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
)

// Guard names who may reach a route. The route table declares one for every
// route through the group it registers the route in, and the middleware
// that enforces it comes with the group.
type Guard string

// The guards of the route table, from the widest to the narrowest.
const (
	// GuardAnyone: health checks, static files, sign-in, invitations.
	GuardAnyone Guard = "anyone"
	// GuardSignedIn: a live session, outside any organization.
	GuardSignedIn Guard = "signed in"
	// GuardMember: any member of the organization in the path; auditors
	// only read, and an auditor limited to one assessment is refused.
	GuardMember Guard = "member"
	// GuardAssessment: a member, and also an auditor limited to one
	// assessment, within that assessment.
	GuardAssessment Guard = "member or limited auditor"
	// GuardAdmin: the organization's owners and admins.
	GuardAdmin Guard = "admin or owner"
	// GuardOwner: the organization's owners.
	GuardOwner Guard = "owner"
	// GuardOperator: the platform operators, apart from every organization.
	GuardOperator Guard = "operator"
)

// limitRule decides a request of an auditor limited to one assessment (the
// limit) on a route open to them: it calls next, redirects or refuses.
type limitRule func(s *Server, c echo.Context, limit uuid.UUID, next echo.HandlerFunc) error

// routeInfo is what the route table declared for one route.
type routeInfo struct {
	guard Guard
	// limit is how the route answers an auditor limited to one assessment;
	// nil refuses them.
	limit limitRule
}

// routeGroup registers routes that share a prefix (its echo group), a guard
// and the middleware enforcing it, and records each route's guard.
type routeGroup struct {
	s     *Server
	g     *echo.Group
	guard Guard
	limit limitRule
	mw    []echo.MiddlewareFunc
}

// group starts a group of routes below prefix with the group middleware mw
// (which also answers the group's unknown paths).
func (s *Server) group(prefix string, guard Guard, mw ...echo.MiddlewareFunc) routeGroup {
	return routeGroup{s: s, g: s.echo.Group(prefix, mw...), guard: guard}
}

// sub starts a nested group below prefix with more group middleware.
func (r routeGroup) sub(prefix string, guard Guard, mw ...echo.MiddlewareFunc) routeGroup {
	return routeGroup{s: r.s, g: r.g.Group(prefix, mw...), guard: guard, limit: r.limit, mw: slices.Clone(r.mw)}
}

// with narrows the group to another guard without a new prefix: mw runs on
// each of its routes after the group's own middleware.
func (r routeGroup) with(guard Guard, mw ...echo.MiddlewareFunc) routeGroup {
	return routeGroup{s: r.s, g: r.g, guard: guard, limit: r.limit, mw: append(slices.Clone(r.mw), mw...)}
}

// limited opens the group's routes to an auditor limited to one
// assessment, as rule decides.
func (r routeGroup) limited(rule limitRule) routeGroup {
	n := r.with(GuardAssessment)
	n.limit = rule
	return n
}

// GET registers a GET route of the group.
func (r routeGroup) GET(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.add(http.MethodGet, path, h, mw...)
}

// POST registers a POST route of the group.
func (r routeGroup) POST(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.add(http.MethodPost, path, h, mw...)
}

// Any registers a route of the group for every method.
func (r routeGroup) Any(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	for _, route := range r.g.Any(path, h, append(slices.Clone(r.mw), mw...)...) {
		r.record(route)
	}
}

func (r routeGroup) add(method, path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.record(r.g.Add(method, path, h, append(slices.Clone(r.mw), mw...)...))
}

func (r routeGroup) record(route *echo.Route) {
	r.s.table[route.Method+" "+route.Path] = routeInfo{guard: r.guard, limit: r.limit}
}

// Guard is the guard the route table declared for a route (method and
// pattern, as Echo lists them), and false for a route it did not declare.
func (s *Server) Guard(method, path string) (Guard, bool) {
	info, ok := s.table[method+" "+path]
	return info.guard, ok
}
