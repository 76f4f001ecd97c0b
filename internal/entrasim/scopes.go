package entrasim

import (
	"slices"
	"strings"
)

// permission is a delegated Microsoft Graph permission, as a bit so a grant
// is a small set.
type permission uint8

const (
	permUserReadAll permission = 1 << iota
	permAuditLogReadAll
	permPolicyReadAll
	permRiskyUserReadAll
)

// permissions is a set of Graph permissions.
type permissions uint8

func (p permissions) has(q permission) bool { return p&permissions(q) == permissions(q) }

// graphPermission describes one Graph permission the simulator grants.
type graphPermission struct {
	bit         permission
	name        string
	description string
}

// graphPermissions are the delegated Graph permissions of attest's app
// registration, with the admin-consent descriptions Microsoft shows.
var graphPermissions = []graphPermission{
	{permUserReadAll, "User.Read.All", "Read all users' full profiles"},
	{permAuditLogReadAll, "AuditLog.Read.All", "Read audit log data"},
	{permPolicyReadAll, "Policy.Read.All", "Read your organization's policies"},
	{permRiskyUserReadAll, "IdentityRiskyUser.Read.All", "Read identity risky user information"},
}

// OpenID Connect scopes accepted alongside the Graph permissions.
const (
	scopeOpenID        = "openid"
	scopeOfflineAccess = "offline_access"
	scopeDefault       = ".default"
)

var oidcDescriptions = map[string]string{
	scopeOpenID:        "Sign you in",
	scopeOfflineAccess: "Maintain access to data you have given it access to",
}

// allPermissions is the exact Graph permission set authorize requires.
const allPermissions = permissions(permUserReadAll | permAuditLogReadAll | permPolicyReadAll | permRiskyUserReadAll)

// requestedScope is one parsed entry of a scope parameter.
type requestedScope struct {
	raw  string
	oidc string     // "openid" or "offline_access"
	perm permission // a Graph permission
	all  bool       // {graph}/.default
}

// parseScope resolves one scope value. Graph permissions may be unprefixed or
// prefixed with graphRoot plus "/", as with Microsoft; ok is false for
// anything else.
func parseScope(raw, graphRoot string) (requestedScope, bool) {
	if raw == scopeOpenID || raw == scopeOfflineAccess {
		return requestedScope{raw: raw, oidc: raw}, true
	}
	name := raw
	if i := strings.LastIndexByte(raw, '/'); i >= 0 {
		if !strings.EqualFold(raw[:i], graphRoot) {
			return requestedScope{raw: raw}, false
		}
		name = raw[i+1:]
		if name == scopeDefault {
			return requestedScope{raw: raw, all: true}, true
		}
	}
	for _, p := range graphPermissions {
		if strings.EqualFold(name, p.name) {
			return requestedScope{raw: raw, perm: p.bit}, true
		}
	}
	return requestedScope{raw: raw}, false
}

// scopeText renders granted permissions as Microsoft does in a token response
// or admin-consent redirect: graphRoot-prefixed and space-separated.
func scopeText(p permissions, graphRoot string) string {
	var parts []string
	for _, gp := range graphPermissions {
		if p.has(gp.bit) {
			parts = append(parts, graphRoot+"/"+gp.name)
		}
	}
	return strings.Join(parts, " ")
}

// consentLine is one permission as listed on a consent page.
type consentLine struct {
	Scope       string
	Description string
}

// consentLines lists what a consent page shows for the given scope values.
func consentLines(raw []string, graphRoot string) []consentLine {
	lines := make([]consentLine, 0, len(raw))
	for _, r := range raw {
		s, _ := parseScope(r, graphRoot)
		switch {
		case s.oidc != "":
			lines = append(lines, consentLine{Scope: s.oidc, Description: oidcDescriptions[s.oidc]})
		case s.all:
			for _, gp := range graphPermissions {
				lines = append(lines, consentLine{Scope: gp.name, Description: gp.description})
			}
		default:
			i := slices.IndexFunc(graphPermissions, func(gp graphPermission) bool { return gp.bit == s.perm })
			lines = append(lines, consentLine{Scope: graphPermissions[i].name, Description: graphPermissions[i].description})
		}
	}
	return lines
}
