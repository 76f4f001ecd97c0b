package github

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
