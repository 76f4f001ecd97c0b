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
		Description: "Enabled member accounts (guests aside) must have at least one multi-factor method registered."},
	{Key: CheckMFAAdmins, Title: "Every admin has MFA registered", Criteria: []string{"CC6.1"},
		Datasets:    []string{DatasetRegistrations},
		Description: "Accounts holding an administrative directory role must have multi-factor authentication registered."},
	{Key: CheckCARequiresMFA, Title: "A conditional-access policy enforces MFA", Criteria: []string{"CC6.1"},
		Datasets:    []string{DatasetPolicies},
		Description: "At least one enabled (not report-only) conditional-access policy requires multi-factor authentication."},
	{Key: CheckInactive, Title: "No enabled account is inactive", Criteria: []string{"CC6.2"},
		Datasets: []string{DatasetUsers}, Params: []connector.Param{paramInactiveDays},
		Description: "No enabled account has gone without signing in for longer than the connection's inactivity threshold (90 days unless changed)."},
	{Key: CheckRiskyUsersStale, Title: "No high-risk user is left at risk", Criteria: []string{"CC7.1"},
		Datasets:    []string{DatasetRiskyUsers},
		Description: "No user flagged high risk by ID Protection has stayed at risk for more than 7 days without remediation or dismissal."},
	{Key: CheckSignInMonitor, Title: "Risky sign-in monitoring is collecting", Criteria: []string{"CC7.1"},
		Datasets:    []string{DatasetRiskySignIns},
		Description: "attest can read at-risk sign-in events for the tenant, so they are monitored."},
}

// paramInactiveDays is how long an enabled account may go without signing
// in: the inactivity check's threshold, also counted in the users summary.
var paramInactiveDays = connector.Param{Key: "inactive_days", Label: "Accounts are inactive after (days)",
	Hint: "An enabled account that has not signed in for longer fails the inactivity check.", Default: 90, Min: 7, Max: 730}

// Datasets lists what a sync reads.
func (c *Connector) Datasets() []connector.Dataset { return datasets }

// Checks lists what a sync evaluates.
func (c *Connector) Checks() []connector.Check { return checks }
