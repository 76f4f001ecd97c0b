package githubsim

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// listAlerts is GET /orgs/{org}/dependabot/alerts: cursor pagination only
// (before, after, per_page) since 2025-10-14; page is refused with the
// documented 400.
func (s *Simulator) listAlerts(c *call) {
	if !c.theOrg() {
		return
	}
	q := c.r.URL.Query()
	for _, removed := range []string{"page", "first", "last"} {
		if q.Has(removed) {
			c.fail(http.StatusBadRequest, strings.Replace(msgPageUnsupported, "page", removed, 1))
			return
		}
	}
	states, ok1 := csvFilter(q.Get("state"), "auto_dismissed", "dismissed", "fixed", "open")
	severities, ok2 := csvFilter(q.Get("severity"), "low", "medium", "high", "critical")
	sortBy, direction := cmp.Or(q.Get("sort"), "created"), cmp.Or(q.Get("direction"), "desc")
	if !ok1 || !ok2 || (sortBy != "created" && sortBy != "updated") || (direction != "asc" && direction != "desc") {
		c.fail(http.StatusUnprocessableEntity, msgValidationFailed)
		return
	}
	var items []Alert
	for _, a := range s.org.Alerts {
		if c.sees(a.Repo) && (states == nil || states[a.State]) && (severities == nil || severities[a.Severity]) {
			items = append(items, a)
		}
	}
	order := alertOrder(sortBy, direction)
	slices.SortFunc(items, order)
	size := perPage(q)
	lo, hi := 0, min(size, len(items))
	switch {
	case q.Has("after"):
		key, ok := decodeAlertCursor(q.Get("after"))
		if !ok {
			c.fail(http.StatusBadRequest, "Invalid cursor")
			return
		}
		lo = len(items)
		for i := range items {
			if order(items[i], key) > 0 {
				lo = i
				break
			}
		}
		hi = min(lo+size, len(items))
	case q.Has("before"):
		key, ok := decodeAlertCursor(q.Get("before"))
		if !ok {
			c.fail(http.StatusBadRequest, "Invalid cursor")
			return
		}
		hi = 0
		for i := range items {
			if order(items[i], key) < 0 {
				hi = i + 1
			}
		}
		lo = max(hi-size, 0)
	}
	out := make([]alertJSON, 0, hi-lo)
	for _, a := range items[lo:hi] {
		out = append(out, s.alertJSON(c.r, a))
	}
	var links []string
	if lo > 0 && hi > lo {
		links = append(links, fmt.Sprintf("<%s>; rel=\"prev\"", pageURL(c.r, "before", alertCursor(items[lo]))))
	}
	if hi < len(items) && hi > lo {
		links = append(links, fmt.Sprintf("<%s>; rel=\"next\"", pageURL(c.r, "after", alertCursor(items[hi-1]))))
	}
	c.json(http.StatusOK, out, strings.Join(links, ", "))
}

// alertOrder orders alerts by sort and direction, then by number the same
// way, so that every alert has one place.
func alertOrder(sortBy, direction string) func(a, b Alert) int {
	return func(a, b Alert) int {
		ta, tb := a.CreatedAt, b.CreatedAt
		if sortBy == "updated" {
			ta, tb = a.UpdatedAt, b.UpdatedAt
		}
		n := cmp.Or(ta.Compare(tb), cmp.Compare(a.Number, b.Number))
		if direction == "desc" {
			return -n
		}
		return n
	}
}

// alertCursor is an opaque cursor naming an alert's place in any order.
func alertCursor(a Alert) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "v1:%d:%d:%d", a.CreatedAt.Unix(), a.UpdatedAt.Unix(), a.Number))
}

func decodeAlertCursor(s string) (Alert, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Alert{}, false
	}
	var created, updated int64
	var a Alert
	if _, err := fmt.Sscanf(string(b), "v1:%d:%d:%d", &created, &updated, &a.Number); err != nil {
		return Alert{}, false
	}
	a.CreatedAt, a.UpdatedAt = time.Unix(created, 0), time.Unix(updated, 0)
	return a, true
}

// csvFilter parses a comma-separated filter whose values must be among
// allowed; nil means no filter.
func csvFilter(v string, allowed ...string) (map[string]bool, bool) {
	if v == "" {
		return nil, true
	}
	out := map[string]bool{}
	for part := range strings.SplitSeq(v, ",") {
		part = strings.TrimSpace(part)
		if !slices.Contains(allowed, part) {
			return nil, false
		}
		out[part] = true
	}
	return out, true
}

// alertJSON is a Dependabot alert, trimmed to the documented fields.
type alertJSON struct {
	Number     int    `json:"number"`
	State      string `json:"state"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	HTMLURL    string `json:"html_url"`
	Dependency struct {
		Package struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
		} `json:"package"`
		ManifestPath string `json:"manifest_path"`
		Scope        string `json:"scope"`
	} `json:"dependency"`
	SecurityAdvisory struct {
		GHSAID   string `json:"ghsa_id"`
		CVEID    string `json:"cve_id"`
		Severity string `json:"severity"`
		Summary  string `json:"summary"`
	} `json:"security_advisory"`
	SecurityVulnerability struct {
		Severity string `json:"severity"`
	} `json:"security_vulnerability"`
	Repository struct {
		ID       int64  `json:"id"`
		Name     string `json:"name"`
		FullName string `json:"full_name"`
	} `json:"repository"`
}

func (s *Simulator) alertJSON(r *http.Request, a Alert) alertJSON {
	var j alertJSON
	full := s.org.Login + "/" + a.Repo
	j.Number, j.State, j.CreatedAt, j.UpdatedAt = a.Number, a.State, stamp(a.CreatedAt), stamp(a.UpdatedAt)
	j.HTMLURL = fmt.Sprintf("%s/%s/security/dependabot/%d", origin(r)+s.base, full, a.Number)
	j.Dependency.Package.Ecosystem, j.Dependency.Package.Name = a.Ecosystem, a.Package
	j.Dependency.ManifestPath, j.Dependency.Scope = a.ManifestPath, "runtime"
	j.SecurityAdvisory.GHSAID, j.SecurityAdvisory.CVEID, j.SecurityAdvisory.Severity, j.SecurityAdvisory.Summary = a.GHSA, a.CVE, a.Severity, a.Summary
	j.SecurityVulnerability.Severity = a.Severity
	if r := s.org.repo(a.Repo); r != nil {
		j.Repository.ID = r.ID
	}
	j.Repository.Name, j.Repository.FullName = a.Repo, full
	return j
}
