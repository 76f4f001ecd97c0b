package githubsim

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// manifestCodeLifetime is how long a manifest code may be converted: the
// whole flow must finish within an hour.
const manifestCodeLifetime = time.Hour

// Manifest is the App manifest the flow posts (github.md section 1a).
type Manifest struct {
	Name           string `json:"name"`
	URL            string `json:"url"`
	HookAttributes *struct {
		URL    string `json:"url"`
		Active *bool  `json:"active"`
	} `json:"hook_attributes"`
	RedirectURL        string            `json:"redirect_url"`
	CallbackURLs       []string          `json:"callback_urls"`
	SetupURL           string            `json:"setup_url"`
	Description        string            `json:"description"`
	Public             bool              `json:"public"`
	DefaultEvents      []string          `json:"default_events"`
	DefaultPermissions map[string]string `json:"default_permissions"`
}

// manifestCode is a code the manifest flow handed out.
type manifestCode struct {
	manifest Manifest
	expires  time.Time
}

// maxCallbackURLs is the documented limit of callback_urls.
const maxCallbackURLs = 10

// manifestPage is POST /organizations/{org}/settings/apps/new: GitHub's
// page where the owner confirms the App. The simulator confirms at once and
// redirects to the manifest's redirect_url with a code and the state.
func (s *Simulator) manifestPage(w http.ResponseWriter, r *http.Request) {
	var m Manifest
	if err := json.Unmarshal([]byte(r.PostFormValue("manifest")), &m); err != nil {
		http.Error(w, "githubsim: the manifest field is not JSON", http.StatusUnprocessableEntity)
		return
	}
	switch {
	case m.Name == "" || m.URL == "":
		http.Error(w, "githubsim: the manifest needs name and url", http.StatusUnprocessableEntity)
		return
	case len(m.CallbackURLs) > maxCallbackURLs:
		http.Error(w, "githubsim: at most 10 callback_urls", http.StatusUnprocessableEntity)
		return
	case m.RedirectURL == "":
		http.Error(w, "githubsim: the manifest has no redirect_url", http.StatusUnprocessableEntity)
		return
	}
	s.mu.Lock()
	if !strings.EqualFold(r.PathValue("org"), s.org.Login) {
		s.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	code := randomHex(10)
	s.codes[code] = &manifestCode{manifest: m, expires: s.now().Add(manifestCodeLifetime)}
	s.mu.Unlock()
	target, err := url.Parse(m.RedirectURL)
	if err != nil {
		http.Error(w, "githubsim: bad redirect_url", http.StatusUnprocessableEntity)
		return
	}
	q := target.Query()
	q.Set("code", code)
	if st := r.URL.Query().Get("state"); st != "" {
		q.Set("state", st)
	}
	target.RawQuery = q.Encode()
	http.Redirect(w, r, target.String(), http.StatusFound)
}

// convertManifest is POST /app-manifests/{code}/conversions: no
// authentication; a code converts once, within the hour. The new App is
// registered under the organization and its private key handed out.
func (s *Simulator) convertManifest(c *call) {
	code := c.r.PathValue("code")
	mc := s.codes[code]
	if mc == nil || !c.now.Before(mc.expires) {
		c.fail(http.StatusNotFound, msgNotFound)
		return
	}
	delete(s.codes, code)
	m := mc.manifest
	s.nextID++
	id := s.nextID
	spec := AppSpec{ID: id, Slug: slug(m.Name), Name: m.Name, ClientID: "Iv23li" + randomHex(7), ClientSecret: randomHex(20),
		Key: newKey(), Permissions: m.DefaultPermissions, SetupURL: m.SetupURL, RedirectURL: m.RedirectURL, Public: m.Public}
	var webhookSecret *string
	if m.HookAttributes != nil && m.HookAttributes.Active != nil && *m.HookAttributes.Active {
		ws := randomHex(20)
		spec.WebhookSecret, webhookSecret = ws, &ws
	}
	s.apps[id] = newApp(spec, s.org.Login)
	c.json(http.StatusCreated, map[string]any{
		"id": id, "slug": spec.Slug, "node_id": "A_sim" + strconv.FormatInt(id, 10), "name": spec.Name,
		"owner":     accountJSON{Login: s.org.Login, ID: s.org.ID, Type: "Organization"},
		"client_id": spec.ClientID, "client_secret": spec.ClientSecret, "webhook_secret": webhookSecret,
		"pem": string(PEM(spec.Key)), "permissions": spec.Permissions, "events": []string{},
		"html_url": origin(c.r) + s.base + "/apps/" + spec.Slug, "created_at": stamp(c.now), "updated_at": stamp(c.now),
	}, "")
}

// installPage is GET /apps/{slug}/installations/new: GitHub's page where the
// owner installs the App. The simulator installs it on the organization
// with every repository at once and redirects to the App's setup URL with
// installation_id, setup_action=install and the state.
func (s *Simulator) installPage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	var a *app
	for _, cand := range s.apps {
		if cand.spec.Slug == r.PathValue("slug") {
			a = cand
		}
	}
	if a == nil {
		s.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	inst := s.installLocked(a.spec.ID, "all", nil)
	setup := a.spec.SetupURL
	s.mu.Unlock()
	if setup == "" {
		_, _ = w.Write([]byte("githubsim: installed " + strconv.FormatInt(inst.id, 10)))
		return
	}
	target, err := url.Parse(setup)
	if err != nil {
		http.Error(w, "githubsim: bad setup_url", http.StatusInternalServerError)
		return
	}
	q := target.Query()
	q.Set("installation_id", strconv.FormatInt(inst.id, 10))
	q.Set("setup_action", "install")
	if st := r.URL.Query().Get("state"); st != "" {
		q.Set("state", st)
	}
	target.RawQuery = q.Encode()
	http.Redirect(w, r, target.String(), http.StatusFound)
}

func slug(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
