package githubsim

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// tokenLifetime is an installation token's documented lifetime.
const tokenLifetime = time.Hour

// maxTokenRepos is how many repositories a token request may name.
const maxTokenRepos = 500

// installation is an App's installation on the organization.
type installation struct {
	id          int64
	appID       int64
	selection   string          // "all" or "selected"
	repos       map[string]bool // the selected repositories' names
	permissions map[string]string
	created     time.Time
	suspended   *time.Time
	deleted     bool
}

// token is an installation access token.
type token struct {
	installation int64
	expires      time.Time
	permissions  map[string]string
	// repos narrows the token to these repositories; nil is the whole
	// installation.
	repos map[string]bool
}

// sees reports whether the call's token reaches repository name.
func (c *call) sees(name string) bool {
	return (c.inst.selection == "all" || c.inst.repos[name]) && (c.tok.repos == nil || c.tok.repos[name])
}

// authenticate finds the live installation token an Authorization header
// carries ("token X" or "Bearer X"). An unknown, expired or revoked token
// (its installation deleted) is 401 Bad credentials; a suspended
// installation's token is 403.
func (s *Simulator) authenticate(authorization string, now time.Time) (*token, int, string) {
	scheme, value, ok := strings.Cut(authorization, " ")
	if !ok || value == "" || (!strings.EqualFold(scheme, "token") && !strings.EqualFold(scheme, "Bearer")) {
		return nil, http.StatusUnauthorized, msgRequiresAuth
	}
	t := s.tokens[value]
	if t == nil || !now.Before(t.expires) {
		return nil, http.StatusUnauthorized, msgBadCredentials
	}
	inst := s.installs[t.installation]
	switch {
	case inst == nil || inst.deleted:
		return nil, http.StatusUnauthorized, msgBadCredentials
	case inst.suspended != nil:
		return nil, http.StatusForbidden, msgSuspended
	}
	return t, 0, ""
}

// installationJSON is an installation as GitHub answers it.
type installationJSON struct {
	ID                  int64             `json:"id"`
	AppID               int64             `json:"app_id"`
	AppSlug             string            `json:"app_slug"`
	ClientID            string            `json:"client_id"`
	TargetType          string            `json:"target_type"`
	TargetID            int64             `json:"target_id"`
	Account             accountJSON       `json:"account"`
	RepositorySelection string            `json:"repository_selection"`
	Permissions         map[string]string `json:"permissions"`
	Events              []string          `json:"events"`
	CreatedAt           string            `json:"created_at"`
	SuspendedAt         *string           `json:"suspended_at"`
}

type accountJSON struct {
	Login string `json:"login"`
	ID    int64  `json:"id"`
	Type  string `json:"type"`
}

func (s *Simulator) installationJSON(i *installation) installationJSON {
	a := s.apps[i.appID]
	out := installationJSON{ID: i.id, AppID: i.appID, AppSlug: a.spec.Slug, ClientID: a.spec.ClientID, TargetType: "Organization",
		TargetID: s.org.ID, Account: accountJSON{Login: s.org.Login, ID: s.org.ID, Type: "Organization"},
		RepositorySelection: i.selection, Permissions: i.permissions, Events: []string{}, CreatedAt: stamp(i.created)}
	if i.suspended != nil {
		at := stamp(*i.suspended)
		out.SuspendedAt = &at
	}
	return out
}

// installationOf returns the live installation id of the call's App, or nil.
func (c *call) installationOf(id string) *installation {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil
	}
	i := c.s.installs[n]
	if i == nil || i.deleted || i.appID != c.app.spec.ID {
		return nil
	}
	return i
}

func (s *Simulator) getApp(c *call) {
	a := c.app.spec
	c.json(http.StatusOK, map[string]any{"id": a.ID, "slug": a.Slug, "name": a.Name, "client_id": a.ClientID,
		"owner": accountJSON{Login: s.org.Login, ID: s.org.ID, Type: "Organization"}, "permissions": a.Permissions, "events": []string{}}, "")
}

func (s *Simulator) listInstallations(c *call) {
	var all []installationJSON
	for _, id := range sortedKeys(s.installs) {
		if i := s.installs[id]; !i.deleted && i.appID == c.app.spec.ID {
			all = append(all, s.installationJSON(i))
		}
	}
	page, link, ok := paginate(c, all)
	if ok {
		c.json(http.StatusOK, page, link)
	}
}

func (s *Simulator) getInstallation(c *call) {
	i := c.installationOf(c.r.PathValue("id"))
	if i == nil {
		c.fail(http.StatusNotFound, msgNotFound)
		return
	}
	c.json(http.StatusOK, s.installationJSON(i), "")
}

func (s *Simulator) getOrgInstallation(c *call) {
	if !strings.EqualFold(c.r.PathValue("org"), s.org.Login) {
		c.fail(http.StatusNotFound, msgNotFound)
		return
	}
	for _, id := range sortedKeys(s.installs) {
		if i := s.installs[id]; !i.deleted && i.appID == c.app.spec.ID {
			c.json(http.StatusOK, s.installationJSON(i), "")
			return
		}
	}
	c.fail(http.StatusNotFound, msgNotFound)
}

// tokenRequest is the optional body of POST .../access_tokens.
type tokenRequest struct {
	Repositories  []string          `json:"repositories"`
	RepositoryIDs []int64           `json:"repository_ids"`
	Permissions   map[string]string `json:"permissions"`
}

func (s *Simulator) createToken(c *call) {
	i := c.installationOf(c.r.PathValue("id"))
	if i == nil {
		c.fail(http.StatusNotFound, msgNotFound)
		return
	}
	if i.suspended != nil {
		c.fail(http.StatusForbidden, msgSuspended)
		return
	}
	var req tokenRequest
	if err := json.NewDecoder(io.LimitReader(c.r.Body, 1<<20)).Decode(&req); err != nil && !errors.Is(err, io.EOF) {
		c.fail(http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	t := &token{installation: i.id, expires: c.now.Add(tokenLifetime), permissions: maps.Clone(i.permissions)}
	if req.Permissions != nil {
		for k, v := range req.Permissions {
			if i.permissions[k] == "" || (v != "read" && i.permissions[k] != v) {
				c.fail(http.StatusUnprocessableEntity, "The permissions requested are not granted to this installation.")
				return
			}
		}
		t.permissions = maps.Clone(req.Permissions)
	}
	if len(req.Repositories)+len(req.RepositoryIDs) > maxTokenRepos {
		c.fail(http.StatusUnprocessableEntity, "Too many repositories: at most 500 may be named.")
		return
	}
	names, ok := s.narrow(i, req)
	if !ok {
		c.fail(http.StatusUnprocessableEntity, "There is at least one repository that does not exist or is not accessible to the parent installation.")
		return
	}
	t.repos = names
	value := newTokenValue(i.appID)
	s.tokens[value] = t
	c.json(http.StatusCreated, map[string]any{"token": value, "expires_at": stamp(t.expires), "permissions": t.permissions,
		"repository_selection": i.selection}, "")
}

// narrow resolves a token request's repositories, which must all be in the
// installation; nil when the request names none.
func (s *Simulator) narrow(i *installation, req tokenRequest) (map[string]bool, bool) {
	if len(req.Repositories)+len(req.RepositoryIDs) == 0 {
		return nil, true
	}
	out := map[string]bool{}
	for _, r := range s.org.Repos {
		for _, name := range req.Repositories {
			if name == r.Name {
				out[r.Name] = true
			}
		}
		for _, id := range req.RepositoryIDs {
			if id == r.ID {
				out[r.Name] = true
			}
		}
	}
	for name := range out {
		if i.selection != "all" && !i.repos[name] {
			return nil, false
		}
	}
	return out, len(out) > 0
}

// newTokenValue makes a token in the format GitHub rolls out from
// 2026-04-27: "ghs_APPID_" and a JWT-like value of varying length (about 520
// characters, with '.', '_' and '-'), so clients that assume 40 characters
// or parse tokens fail here too.
func newTokenValue(appID int64) string {
	b := make([]byte, 360)
	_, _ = rand.Read(b)
	n := 330 + int(b[0])%30
	enc := base64.RawURLEncoding.EncodeToString(b[:n])
	return "ghs_" + strconv.FormatInt(appID, 10) + "_" + enc[:40] + "." + enc[40:300] + "." + enc[300:]
}

// stamp formats t as GitHub's timestamps: RFC 3339 in UTC to the second.
func stamp(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }
