// Package entrasim simulates the Microsoft identity platform (v2.0) and the
// Microsoft Graph v1.0 endpoints attest reads, so that a new user can try the
// product without a tenant and every test and benchmark has Microsoft's side
// to talk to. It is a conformance fake: it follows the wire contract in
// shared/reference/microsoft-graph.md, and a client that sends what Microsoft
// would reject is rejected the same way.
//
// # Mounting
//
// A Simulator is an http.Handler. Mount it at Options.BasePath without
// stripping the prefix; it builds every absolute URL (nextLinks, the ID
// token's issuer, scope resources) from the request's own scheme
// (X-Forwarded-Proto, else r.TLS), Host and BasePath:
//
//	login root  {origin}{BasePath}/login   (like https://login.microsoftonline.com)
//	Graph root  {origin}{BasePath}/graph   (like https://graph.microsoft.com)
//
// Routes, relative to BasePath ({tenant} is the tenant GUID or its domain):
//
//	GET  /login/{tenant}/oauth2/v2.0/authorize   consent page
//	POST /login/{tenant}/oauth2/v2.0/authorize   the user's decision (Accept / Cancel)
//	POST /login/{tenant}/oauth2/v2.0/token       authorization_code and refresh_token grants
//	GET  /login/{tenant}/v2.0/adminconsent       admin consent page; POST is the decision
//	GET  /login/_sim.css                         the pages' stylesheet
//	GET  /graph/v1.0/users
//	GET  /graph/v1.0/reports/authenticationMethods/userRegistrationDetails
//	GET  /graph/v1.0/identity/conditionalAccess/policies
//	GET  /graph/v1.0/identityProtection/riskyUsers
//	GET  /graph/v1.0/auditLogs/signIns
//
// # The demo registration
//
// Without Options.Tenants the simulator serves DefaultTenant(): "Contoso
// (simulated)", tenant DefaultTenantID on DefaultTenantDomain, P2, with
// DefaultUsers users and one app registration whose client ID and secret are
// DefaultClientID and DefaultClientSecret. Register the app's redirect URI by
// passing it to DefaultTenant. These values are public fixtures.
//
// # Identity platform
//
// The authorize endpoint checks, in Microsoft's order, the tenant (AADSTS90002;
// /common gives AADSTS50194), client_id (AADSTS700016) and redirect_uri
// (AADSTS50011): those failures are HTML error pages, never redirects. Then
// response_type=code, the scope set, PKCE with S256 and prompt fail by
// redirecting with error and error_description. The scope must be exactly
// openid, offline_access and the Graph permissions User.Read.All,
// AuditLog.Read.All, Policy.Read.All and IdentityRiskyUser.Read.All, each
// unprefixed or prefixed with the simulator's Graph root; anything else is
// invalid_scope (AADSTS70011), recorded for Tenant.LastAuthorize. Only
// response_mode=query is supported.
//
// The consent page, labelled "Simulated Microsoft sign-in — not Microsoft",
// shows the tenant, the app, the signed-in user (the tenant's first Global
// Administrator) and each permission, with Accept and Cancel buttons. It works
// under a strict Content-Security-Policy (no inline script or style). Accept
// redirects with a single-use code valid for 10 minutes on the Now clock;
// Cancel with access_denied, error_subcode=cancel and AADSTS65004.
//
// The token endpoint authenticates the client by client_secret in the body or
// HTTP Basic and answers errors in Microsoft's body shape (error,
// error_description with Trace ID, Correlation ID and Timestamp lines,
// error_codes, timestamp, trace_id, correlation_id, error_uri): wrong secret
// 7000215, missing secret 7000218, code replay 54005, expired code 70008,
// PKCE mismatch 501481, revoked grant 50173, 90-day inactive refresh token
// 700082, interaction required 50076. Refreshing returns a new refresh token;
// old ones stay valid until RevokeGrants. Access tokens are opaque, live a
// seeded random 3600–5400 s on the Now clock and carry the granted
// permissions; the ID token is an unsigned (alg "none") JWT.
//
// # Graph
//
// Lists honour $select (unknown properties are a 400), $top up to each
// endpoint's maximum, $filter (see below), $count (directory objects need
// ConsistencyLevel: eventual on every page) and $skiptoken; other query
// options are a 400. Page sizes:
//
//	users                      default 100, $top up to 999; 500 per page with signInActivity
//	userRegistrationDetails    500 per page; $top is rejected
//	conditionalAccess/policies default 100, $top up to 999
//	riskyUsers                 default 20, $top up to 500
//	signIns                    default and maximum 1000, newest first
//
// $filter accepts comparisons joined by "and": users accountEnabled (eq, ne);
// signIns riskState, riskLevelDuringSignIn, riskLevelAggregated (eq),
// createdDateTime (eq, ge, gt, le, lt), userId, userPrincipalName, appId (eq);
// riskyUsers riskLevel, riskState, userPrincipalName (eq) and
// riskLastUpdatedDateTime; userRegistrationDetails its is* flags, userType
// and names (eq); policies state and displayName (eq).
//
// Each @odata.nextLink is an absolute URL on the request's origin that keeps
// the request's query and adds an opaque, HMAC-protected $skiptoken; a
// tampered token is a 400. Pages follow a stable order (by id; sign-ins newest
// first) and stay consistent while data changes.
//
// Licences: a Free tenant answers 403
// Authentication_RequestFromNonPremiumTenantOrB2CTenant for signInActivity,
// userRegistrationDetails and signIns, and 403 Forbidden "Your tenant is not
// licensed for this feature." for policies and riskyUsers. P1 also answers
// riskyUsers with that 403 and shows sign-in risk levels and detail as
// "hidden" (risk state "none"). P2 has everything. A token without the needed
// permission gets 403 Authorization_RequestDenied.
//
// # Throttling
//
// With Options.Throttle the documented limits are enforced as they read, on
// real monotonic time. "N requests per W" is a sliding window that never
// admits more than N in any W: identity and access reports
// (userRegistrationDetails, signIns and /users with signInActivity) 5
// requests per 10 s per app per tenant, and signInActivity also 10 per 60 s,
// answering 429 with a fractional Retry-After (the time until the window has
// room); identity protection and Conditional Access 1 request per second per
// tenant for all apps, answering 429 without Retry-After; /users without
// signInActivity in a token bucket of resource units (3,500, 5,000 or 8,000
// per 10 s by tenant size; cost 2, less 1 with $select and less 1 with $top
// under 20) with the x-ms-resource-unit header. Global and cross-tenant
// limits are not modelled. Stats records every request (arrival,
// families, status, Retry-After) so tests can assert on the schedule.
//
// # Test control
//
// Tenant methods change data (UpdateUser, AddUser, DeleteUser,
// UpdateRegistration, SetLicence), revoke grants, require interaction, inject
// Faults (error statuses with Graph or identity platform bodies, Retry-After,
// truncated JSON, delays; consumed in order, optionally on a given page) and
// report Stats and the last authorize request. Generate builds the data
// deterministically from the seed.
package entrasim
