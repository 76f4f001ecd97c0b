package entra

import "github.com/attesthq/attest/internal/connector"

// Dataset keys.
const (
	DatasetUsers         = "users"
	DatasetRegistrations = "registrations"
	DatasetPolicies      = "policies"
	DatasetRiskyUsers    = "risky_users"
	DatasetRiskySignIns  = "risky_signins"
)

var datasets = []connector.Dataset{
	{Key: DatasetUsers, Title: "Users", Kinds: []string{KindUser, KindUsersSummary}},
	{Key: DatasetRegistrations, Title: "MFA registration", Kinds: []string{KindMFARegistration, KindMFASummary}},
	{Key: DatasetPolicies, Title: "Conditional-access policies", Kinds: []string{KindCAPolicy, KindCASummary}},
	{Key: DatasetRiskyUsers, Title: "Risky users", Kinds: []string{KindRiskyUser, KindRiskyUserSummary}},
	{Key: DatasetRiskySignIns, Title: "Risky sign-ins", Kinds: []string{KindRiskySignIn, KindRiskySignInSummary}, Events: true,
		Summarize: summarizeSignIns},
}

// Check keys.
const (
	CheckMFAMembers      = "entra.mfa_members"
	CheckMFAAdmins       = "entra.mfa_admins"
	CheckCARequiresMFA   = "entra.ca_requires_mfa"
	CheckInactive        = "entra.inactive_accounts"
	CheckRiskyUsersStale = "entra.risky_users_unresolved"
	CheckSignInMonitor   = "entra.risky_signins_collected"
)

var checks = []connector.Check{
	{Key: CheckMFAMembers, Title: "Every enabled member has MFA registered", Criteria: []string{"CC6.1"},
		Datasets:    []string{DatasetUsers, DatasetRegistrations},
		Description: "Enabled member accounts (guests aside) must have at least one multi-factor method registered.",
		Fix:         connector.Fix{Sentence: "Have each listed member register a multi-factor method (or require registration for everyone), then sync again; exclude only accounts that cannot sign in interactively.", LinkLabel: "Authentication methods in Entra", URL: entraAuthMethods}},
	{Key: CheckMFAAdmins, Title: "Every admin has MFA registered", Criteria: []string{"CC6.1"},
		Datasets:    []string{DatasetRegistrations},
		Description: "Accounts holding an administrative directory role must have multi-factor authentication registered.",
		Fix:         connector.Fix{Sentence: "Register a multi-factor method for each listed administrator first, or remove the admin role they no longer need.", LinkLabel: "Users in Entra", URL: entraUsers}},
	{Key: CheckCARequiresMFA, Title: "A conditional-access policy enforces MFA", Criteria: []string{"CC6.1"},
		Datasets:    []string{DatasetPolicies},
		Description: "At least one enabled (not report-only) conditional-access policy requires multi-factor authentication.",
		Fix:         connector.Fix{Sentence: "Turn on a conditional-access policy that requires multi-factor authentication for all users; a policy in report-only mode does not count.", LinkLabel: "Conditional Access policies in Entra", URL: entraConditionalAccess}},
	{Key: CheckInactive, Title: "No enabled account is inactive", Criteria: []string{"CC6.2"},
		Datasets: []string{DatasetUsers}, Params: []connector.Param{paramInactiveDays},
		Description: "No enabled account has gone without signing in for longer than the connection's inactivity threshold (90 days unless changed).",
		Fix:         connector.Fix{Sentence: "Disable or delete each listed account nobody uses any more; exclude service accounts that never sign in, with the reason.", LinkLabel: "Users in Entra", URL: entraUsers}},
	{Key: CheckRiskyUsersStale, Title: "No high-risk user is left at risk", Criteria: []string{"CC7.1"},
		Datasets:    []string{DatasetRiskyUsers},
		Description: "No user flagged high risk by ID Protection has stayed at risk for more than 7 days without remediation or dismissal.",
		Fix:         connector.Fix{Sentence: "Investigate each listed user in ID Protection, then reset their password and confirm the compromise, or dismiss the risk if it is a false positive.", LinkLabel: "Risky users in Entra ID Protection", URL: entraRiskyUsers}},
	{Key: CheckSignInMonitor, Title: "Risky sign-in monitoring is collecting", Criteria: []string{"CC7.1"},
		Datasets:    []string{DatasetRiskySignIns},
		Description: "attest can read at-risk sign-in events for the tenant, so they are monitored.",
		Fix:         connector.Fix{Sentence: "Check that the tenant has Entra ID P2 and that the connection was granted IdentityRiskEvent.Read.All; re-authorize it if the permission was added later.", LinkLabel: "Risky sign-ins in Entra ID Protection", URL: entraRiskySignIns}},
}

// The Microsoft Entra admin center's pages a check's fix links to.
const (
	entraUsers             = "https://entra.microsoft.com/#view/Microsoft_AAD_UsersAndTenants/UserManagementMenuBlade/~/AllUsers"
	entraAuthMethods       = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/AuthenticationMethodsMenuBlade/~/AdminAuthMethods"
	entraConditionalAccess = "https://entra.microsoft.com/#view/Microsoft_AAD_ConditionalAccess/ConditionalAccessBlade/~/Policies"
	entraRiskyUsers        = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/IdentityProtectionMenuBlade/~/RiskyUsers"
	entraRiskySignIns      = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/IdentityProtectionMenuBlade/~/RiskySignIns"
)

// paramInactiveDays is how long an enabled account may go without signing
// in: the inactivity check's threshold, also counted in the users summary.
var paramInactiveDays = connector.Param{Key: "inactive_days", Label: "Accounts are inactive after (days)",
	Hint: "An enabled account that has not signed in for longer fails the inactivity check.", Default: 90, Min: 7, Max: 730}

// Datasets lists what a sync reads.
func (c *Connector) Datasets() []connector.Dataset { return datasets }

// Checks lists what a sync evaluates.
func (c *Connector) Checks() []connector.Check { return checks }
