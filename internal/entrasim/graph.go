package entrasim

import (
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// serveGraph serves {BasePath}/graph/v1.0/...: it resolves the collection,
// authenticates the bearer token and hands the request to the collection.
func (s *Simulator) serveGraph(w http.ResponseWriter, r *http.Request) {
	c := &graphCall{
		w:               w,
		r:               r,
		requestID:       randomGUID(),
		clientRequestID: r.Header.Get("client-request-id"),
		date:            s.now().UTC().Format("2006-01-02T15:04:05"),
	}
	if uuid.Validate(c.clientRequestID) != nil {
		c.clientRequestID = c.requestID
	}
	h := w.Header()
	h.Set("request-id", c.requestID)
	h.Set("client-request-id", c.clientRequestID)

	rest := strings.TrimPrefix(r.URL.Path, s.base+"/graph/")
	version, path, _ := strings.Cut(rest, "/")
	if version != "v1.0" {
		c.fail(graphError{http.StatusBadRequest, "BadRequest", "Invalid version: " + version})
		return
	}
	ep := lookupCollection("/" + path)
	if ep == nil {
		segment, _, _ := strings.Cut(path, "/")
		c.fail(graphError{http.StatusBadRequest, "BadRequest", "Resource not found for the segment '" + segment + "'."})
		return
	}
	if r.Method != http.MethodGet {
		c.fail(errMethod)
		return
	}
	g, e := s.authenticate(r)
	if e != nil {
		h.Set("WWW-Authenticate", `Bearer realm="", authorization_uri="`+s.loginRoot(r)+
			`/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`)
		c.fail(*e)
		return
	}
	ep.serve(s, c, g)
}

// authenticate resolves the request's bearer access token.
func (s *Simulator) authenticate(r *http.Request) (*accessGrant, *graphError) {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, &errTokenEmpty
	}
	s.accessMu.Lock()
	g := s.access[token]
	s.accessMu.Unlock()
	if g == nil {
		return nil, &errTokenInvalid
	}
	if !s.now().Before(g.expires) {
		return nil, &errTokenExpired
	}
	return g, nil
}

// issueAccess stores a new access token for g valid for lifetime seconds.
func (s *Simulator) issueAccess(t *Tenant, g grant, lifetime int) string {
	token := randomToken(48)
	s.accessMu.Lock()
	defer s.accessMu.Unlock()
	s.access[token] = &accessGrant{
		tenant:   t,
		clientID: g.clientID,
		perms:    g.perms,
		expires:  s.now().Add(secondsDuration(lifetime)),
	}
	return token
}
