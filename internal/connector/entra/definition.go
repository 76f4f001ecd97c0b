package entra

import (
	"time"

	"github.com/attesthq/attest/internal/connector"
)

// Key identifies the connector in URLs, settings and job arguments.
const Key = "entra"

// Evidence kinds produced by the connector.
const (
	KindUser               = "entra.user"
	KindMFARegistration    = "entra.mfa_registration"
	KindCAPolicy           = "entra.ca_policy"
	KindRiskyUser          = "entra.risky_user"
	KindRiskySignIn        = "entra.risky_signin"
	KindUsersSummary       = "entra.users_summary"
	KindMFASummary         = "entra.mfa_summary"
	KindCASummary          = "entra.ca_summary"
	KindRiskyUserSummary   = "entra.risky_user_summary"
	KindRiskySignInSummary = "entra.risky_signin_summary"
)

// graphScopes are the delegated Microsoft Graph permissions, and nothing else.
var graphScopes = []connector.Scope{
	{Name: "User.Read.All", Reason: "user inventory: enabled and disabled accounts, guests, creation dates"},
	{Name: "AuditLog.Read.All", Reason: "sign-in activity, MFA registration details and risky sign-in events"},
	{Name: "Policy.Read.All", Reason: "conditional-access policies"},
	{Name: "IdentityRiskyUser.Read.All", Reason: "users flagged at risk by ID Protection"},
}

// oidcScopes ask for an id token (who consented) and a refresh token.
var oidcScopes = []connector.Scope{
	{Name: "openid", Reason: "identifies the account that authorized the connection"},
	{Name: "offline_access", Reason: "a refresh token, so hourly syncs run without you"},
}

// definition is the connector's description, the single source for pages and jobs.
var definition = connector.Definition{
	Key:      Key,
	Name:     "Microsoft Entra ID",
	Category: "Identity",
	Auth:     "OAuth 2.0",
	AuthKind: connector.AuthOAuthCode,
	// Admin consent is how a tenant's administrator grants the delegated
	// permissions for everyone; re-authorization renews a revoked grant.
	Capabilities: []connector.Capability{connector.CapabilityReauthorize, connector.CapabilityConsent},
	Provider:     "Microsoft",
	Account:      "tenant",
	Limits:       documentedRateLimits(),
	Summary:      "OAuth 2.0 via the Microsoft identity platform v2.0. Pulls user inventory, MFA registration, conditional-access policy count, and risky sign-in events for SOC 2 access-control evidence.",
	Cadence:      time.Hour,
	StaleAfter:   6 * time.Hour,
	Scopes:       append(append([]connector.Scope{}, graphScopes...), oidcScopes...),
	Evidence: []connector.EvidenceKind{
		{Kind: KindUser, Fields: connector.JSONFields(User{}), Title: "Users", SchemaVersion: 1, Criteria: []string{"CC6.2"},
			Description: "Every account with its state, type, creation date and last sign-in: enabled, disabled, guests and inactive accounts."},
		{Kind: KindMFARegistration, Fields: connector.JSONFields(MFARegistration{}), Title: "MFA registration", SchemaVersion: 1, Criteria: []string{"CC6.1"},
			Description: "Per user: MFA registered and capable, admin role, methods registered."},
		{Kind: KindCAPolicy, Fields: connector.JSONFields(CAPolicy{}), Title: "Conditional-access policies", SchemaVersion: 1, Criteria: []string{"CC6.1"},
			Description: "Each policy with its state and whether it requires MFA."},
		{Kind: KindRiskyUser, Fields: connector.JSONFields(RiskyUser{}), Title: "Risky users", SchemaVersion: 1, Criteria: []string{"CC7.1"},
			Description: "Users ID Protection flagged, with risk level, state and last update."},
		{Kind: KindRiskySignIn, Fields: connector.JSONFields(RiskySignIn{}), Title: "Risky sign-ins", SchemaVersion: 1, Criteria: []string{"CC7.1"},
			Description: "At-risk sign-in events since the previous sync."},
		{Kind: KindUsersSummary, Fields: connector.JSONFields(UsersSummary{}), Title: "User inventory summary", SchemaVersion: 1, Criteria: []string{"CC6.2"},
			Description: "Counts of enabled, disabled, guest, never-signed-in and inactive accounts."},
		{Kind: KindMFASummary, Fields: connector.JSONFields(MFASummary{}), Title: "MFA coverage summary", SchemaVersion: 1, Criteria: []string{"CC6.1"},
			Description: "Share of enabled members and admins with MFA registered."},
		{Kind: KindCASummary, Fields: connector.JSONFields(CASummary{}), Title: "Conditional-access summary", SchemaVersion: 1, Criteria: []string{"CC6.1"},
			Description: "Policy count by state and the number requiring MFA."},
		{Kind: KindRiskyUserSummary, Fields: connector.JSONFields(RiskyUserSummary{}), Title: "Risky user summary", SchemaVersion: 1, Criteria: []string{"CC7.1"},
			Description: "Risky users by level and state, and how many high-risk users have been at risk longer than 7 days."},
		{Kind: KindRiskySignInSummary, Fields: connector.JSONFields(RiskySignInSummary{}), Title: "Risky sign-in summary", SchemaVersion: 1, Criteria: []string{"CC7.1"},
			Description: "At-risk sign-ins in the window, by risk level."},
	},
	ConnectIntro: "Register an app in the Entra (Azure AD) admin center with delegated read permissions on Microsoft Graph. attest redirects you there to authorize after you submit the form.",
	Steps: []connector.Step{
		{Title: "Register the app", ShowRedirectURI: true,
			Body: "Entra admin center → App registrations → New registration. Single-tenant. Redirect URI (Web):"},
		{Title: "Grant Graph permissions",
			Body: "API permissions → Microsoft Graph → Delegated → User.Read.All, AuditLog.Read.All, Policy.Read.All, IdentityRiskyUser.Read.All. Grant admin consent."},
		{Title: "Copy tenant + client credentials",
			Body: "From the app's Overview: copy the Application (client) ID and Directory (tenant) ID. From Certificates & secrets: create a client secret and copy its value (it's only shown once)."},
	},
}
