package github

import (
	"time"

	"github.com/attesthq/attest/internal/connector/pace"
)

// The endpoints the connector calls, named as GitHub documents them: each
// is one endpoint of the secondary limit (900 points a minute).
const (
	routeManifestConversion = "POST /app-manifests/{code}/conversions"
	routeInstallation       = "GET /app/installations/{installation_id}"
	routeOrgInstallation    = "GET /orgs/{org}/installation"
	routeAccessTokens       = "POST /app/installations/{installation_id}/access_tokens"
	routeOrg                = "GET /orgs/{org}"
	routeMembers            = "GET /orgs/{org}/members"
	routeOutside            = "GET /orgs/{org}/outside_collaborators"
	routeInstallationRepos  = "GET /installation/repositories"
	routeOrgRepos           = "GET /orgs/{org}/repos"
	routeRepoCollaborators  = "GET /repos/{owner}/{repo}/collaborators"
	routeBranchRules        = "GET /repos/{owner}/{repo}/rules/branches/{branch}"
	routeProtection         = "GET /repos/{owner}/{repo}/branches/{branch}/protection"
	routeAlerts             = "GET /orgs/{org}/dependabot/alerts"
)

// endpointFamily numbers each documented endpoint as a family of the
// platform's pacer: every endpoint has its own window of the secondary limit.
var endpointFamily = func() map[string]pace.Family {
	routes := []string{routeManifestConversion, routeInstallation, routeOrgInstallation, routeAccessTokens, routeOrg,
		routeMembers, routeOutside, routeInstallationRepos, routeOrgRepos, routeRepoCollaborators, routeBranchRules,
		routeProtection, routeAlerts}
	out := make(map[string]pace.Family, len(routes))
	for i, r := range routes {
		out[r] = pace.Family(i)
	}
	return out
}()

// endpointLimits give every endpoint the declared secondary limit
// (limitPerEndpoint, github.md section 8); each window is counted a second
// longer than GitHub's, so that clock skew cannot fit a 901st point into one
// of GitHub's minutes.
var endpointLimits = func() pace.Limits {
	l := pace.Limits{Windows: make([]pace.Window, len(endpointFamily)), Margin: time.Second}
	for i := range l.Windows {
		l.Windows[i] = pace.Window{N: limitPerEndpoint.N, W: limitPerEndpoint.W}
	}
	return l
}()

// everyEndpoint is a demand in every endpoint's family: what the primary
// budget, shared by all of them, pauses.
var everyEndpoint = func() pace.Demand {
	d := pace.Demand{}
	for f := range len(endpointFamily) {
		d.Families = append(d.Families, pace.Family(f))
	}
	return d
}()
