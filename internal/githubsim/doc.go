// Package githubsim simulates the parts of GitHub's REST API that attest's
// GitHub connector uses, written from shared/reference/github.md: a GitHub
// App (the customer's own, created by the manifest flow), its installation
// on one organization, App JWTs, installation tokens, and the read-only
// endpoints of the evidence datasets. It is a conformance fake: a client that
// sends what GitHub refuses is refused the same way, with GitHub's status
// and error body ({"message", "documentation_url", "status"}).
//
// # Mounting
//
// A Simulator is an http.Handler. Mount it at Options.BasePath without
// stripping the prefix. The REST API is under {BasePath}/api/v3, the layout
// of GitHub Enterprise Server, so a client proves its API root is
// configurable; the web pages of the flows are under {BasePath}. Absolute
// URLs (Link headers, html_url) are built from the request's scheme and host.
//
//	POST /app-manifests/{code}/conversions           no auth; a code converts once, within an hour
//	GET  /app, /app/installations, /app/installations/{id}, /orgs/{org}/installation   App JWT
//	POST /app/installations/{id}/access_tokens       App JWT; a token valid 1 hour
//	GET  /installation/repositories                  installation token (metadata)
//	GET  /orgs/{org}                                 installation token; owner-only fields need
//	                                                 organization_administration, plan needs organization_plan
//	GET  /orgs/{org}/members, /orgs/{org}/outside_collaborators   members
//	GET  /orgs/{org}/repos, /repos/{o}/{r}/collaborators          metadata
//	GET  /repos/{o}/{r}/branches/{branch}/protection administration
//	GET  /repos/{o}/{r}/rules/branches/{branch}      metadata
//	GET  /orgs/{org}/dependabot/alerts               vulnerability_alerts; cursor pagination only
//
// Web pages: POST /organizations/{org}/settings/apps/new (the manifest form;
// confirmed at once, redirecting to redirect_url with code and state) and
// GET /apps/{slug}/installations/new (installs on every repository and
// redirects to the setup URL with installation_id, setup_action and state).
//
// # What every request meets
//
// A request without User-Agent is refused (403). X-GitHub-Api-Version may be
// absent (2022-11-28 is served) or 2022-11-28 or 2026-03-10; any other is
// 400. The answer names the version in X-GitHub-Api-Version-Selected.
// Accept: application/vnd.github+json is recommended, not required: GitHub
// answers JSON without it, and so does the simulator, which counts such
// requests (RequestsWithoutAccept). More than 100 concurrent requests meet
// the secondary limit.
//
// App JWTs must use the Bearer scheme, alg RS256 and be signed by the key of
// the App that iss names (App ID, as a number or string, or client ID); iat
// and exp must be integers, iat not in the future, exp in the future and at
// most 10 minutes ahead on the simulator's clock.
//
// Installation tokens ("token X" or "Bearer X") are checked on every call:
// unknown, expired or revoked (the installation was uninstalled) is 401 "Bad
// credentials"; a suspended installation is 403 "This installation has been
// suspended". A missing permission is 403 "Resource not accessible by
// integration" with X-Accepted-GitHub-Permissions; a repository the token
// does not reach is 404.
//
// # Limits
//
// Every token answer carries x-ratelimit-limit, -remaining, -used, -reset
// (epoch seconds) and -resource (core). The primary limit is per
// installation per hour from its first request: 5,000, plus 50 per
// repository and per user above 20, at most 12,500; 15,000 on
// PlanEnterprise (Options.RateLimit overrides it). Past it, 403 "API rate
// limit exceeded" with remaining 0. A GET answered 304 (If-None-Match naming
// the ETag) does not count; App JWT requests are not counted at all. The
// secondary limit of 900 requests a minute per endpoint answers 403 with
// retry-after, and is not charged to the primary budget; Simulator.Throttle
// injects the other documented shapes (403 or 429, with retry-after, with
// x-ratelimit-reset, or with neither).
//
// # Pagination
//
// Page-number endpoints take per_page (default 30, at most 100) and page, and
// answer a Link header (prev, next, last, first) unless everything fits on
// one page. Dependabot alerts take per_page, before and after only: page
// (and the removed first and last) is 400 "Pagination using the page
// parameter is not supported."; the Link header carries rel="next" with
// after= and rel="prev" with before=.
//
// # Plans and faults
//
// On PlanFree, classic protection and the rules endpoint answer private and
// internal repositories 403 "Upgrade to GitHub Pro or make this repository
// public to enable this feature." (github.md marks the rules endpoint's
// answer uncertain; the simulator gives the same 403). An unprotected branch
// is 404 "Branch not protected". Uninstall, Suspend, SetPlan, SetPermissions
// and Throttle inject the faults; Edit changes the data.
//
// # Where github.md is silent
//
// The wording of the JWT refusals other than "'exp' is too far in the
// future", of 401 "Bad credentials" and of the unknown-version 400 follow
// what GitHub is seen to answer, not its documentation. GET
// /repos/{o}/{r}/collaborators (affiliation=outside, with permissions and
// role_name) is from GitHub's REST reference, not github.md; the simulator
// models outside collaborators only. Error answers carry no ETag (github.md
// does not say they do), so a client asks an unprotected branch's 404 again
// on every sync.
package githubsim
