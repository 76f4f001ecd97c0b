package github

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// The roots of github.com (github.md section 12). GitHub Enterprise Server
// is https://HOST/api/v3 (web https://HOST); GHE.com is
// https://api.SUBDOMAIN.ghe.com (web https://SUBDOMAIN.ghe.com). The API
// root is configured, never derived from the web host.
const (
	DefaultAPIRoot = "https://api.github.com"
	DefaultWebRoot = "https://github.com"
)

// Settings are a GitHub connection's non-secret settings. The App's private
// key is a secret kept apart.
type Settings struct {
	// APIRoot is the REST API root, such as https://api.github.com.
	APIRoot string `json:"api_root"`
	// WebRoot is where the manifest and installation pages are.
	WebRoot string `json:"web_root"`
	// Org is the organization's login the installation must belong to.
	Org string `json:"org"`
	// AppID is the App's numeric id; ClientID its client id. One is enough:
	// the App ID works on every GitHub, the client ID needs GHES 3.18.
	AppID    int64  `json:"app_id"`
	ClientID string `json:"client_id,omitempty"`
	// AppSlug names the App in its installation URL.
	AppSlug string `json:"app_slug,omitempty"`
	// InstallationID is the verified installation on Org.
	InstallationID int64 `json:"installation_id"`
	// AccountID is the organization's account id, stable across renames,
	// as the verified installation named it.
	AccountID int64 `json:"account_id,omitempty"`
	// RepositorySelection is the installation's: "selected" is partial.
	RepositorySelection string `json:"repository_selection,omitempty"`
}

// ParseSettings decodes and validates settings, filling the github.com roots
// when absent.
func ParseSettings(raw json.RawMessage) (Settings, error) {
	var s Settings
	if err := json.Unmarshal(raw, &s); err != nil {
		return Settings{}, fmt.Errorf("github: settings: %w", err)
	}
	return s.normalized()
}

func (s Settings) normalized() (Settings, error) {
	s, err := s.located()
	if err != nil {
		return Settings{}, err
	}
	if s.AppID <= 0 && s.ClientID == "" {
		return Settings{}, errors.New("github: settings: neither an App ID nor a client ID")
	}
	return s, nil
}

// hasApp reports whether the settings name the App (after its manifest
// conversion, or as pasted).
func (s Settings) hasApp() bool { return s.AppID > 0 || s.ClientID != "" }

// located checks what every stage of a connection has: the roots and the
// organization (a manifest-flow connection has no App yet).
func (s Settings) located() (Settings, error) {
	var err error
	if s.APIRoot, err = NormalizeRoot(s.APIRoot, DefaultAPIRoot); err != nil {
		return Settings{}, fmt.Errorf("github: api root: %w", err)
	}
	if s.WebRoot, err = NormalizeRoot(s.WebRoot, DefaultWebRoot); err != nil {
		return Settings{}, fmt.Errorf("github: web root: %w", err)
	}
	s.Org = strings.TrimSpace(s.Org)
	if s.Org == "" {
		return Settings{}, errors.New("github: settings: no organization")
	}
	return s, nil
}

// parseLocated decodes settings that may not name the App yet.
func parseLocated(raw json.RawMessage) (Settings, error) {
	var s Settings
	if err := json.Unmarshal(raw, &s); err != nil {
		return Settings{}, fmt.Errorf("github: settings: %w", err)
	}
	return s.located()
}

// issuer is the JWT's iss: the App ID where known (accepted by every
// GitHub), else the client ID.
func (s Settings) issuer() string {
	if s.AppID > 0 {
		return fmt.Sprint(s.AppID)
	}
	return s.ClientID
}

// NormalizeRoot checks a configured root: an absolute https URL without
// query or fragment (http only to a loopback host, for simulators), with no
// trailing slash. Empty gives def.
func NormalizeRoot(root, def string) (string, error) {
	root = strings.TrimRight(strings.TrimSpace(root), "/")
	if root == "" {
		return def, nil
	}
	u, err := url.Parse(root)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("%q is not an absolute URL without query, fragment or credentials", root)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !loopback(u.Hostname()) {
			return "", fmt.Errorf("%q must use https", root)
		}
	default:
		return "", fmt.Errorf("%q must use https", root)
	}
	return root, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
