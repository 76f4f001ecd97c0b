package checks

// Guidance says what to do about a failing check, and where.
type Guidance struct {
	// Sentence is what to do, in one sentence.
	Sentence string
	// LinkLabel and URL name the admin page where it is done.
	LinkLabel string
	URL       string
}

// The Microsoft Entra admin center's pages the guidance links to.
const (
	entraUsers             = "https://entra.microsoft.com/#view/Microsoft_AAD_UsersAndTenants/UserManagementMenuBlade/~/AllUsers"
	entraAuthMethods       = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/AuthenticationMethodsMenuBlade/~/AdminAuthMethods"
	entraConditionalAccess = "https://entra.microsoft.com/#view/Microsoft_AAD_ConditionalAccess/ConditionalAccessBlade/~/Policies"
	entraRiskyUsers        = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/IdentityProtectionMenuBlade/~/RiskyUsers"
	entraRiskySignIns      = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/IdentityProtectionMenuBlade/~/RiskySignIns"
)

// guidance is keyed by check key. The check definitions belong to their
// connector; what a person does about a failure is the page's concern.
var guidance = map[string]Guidance{
	"entra.mfa_members": {
		Sentence:  "Have each listed member register a multi-factor method (or require registration for everyone), then sync again; exclude only accounts that cannot sign in interactively.",
		LinkLabel: "Authentication methods in Entra", URL: entraAuthMethods,
	},
	"entra.mfa_admins": {
		Sentence:  "Register a multi-factor method for each listed administrator first, or remove the admin role they no longer need.",
		LinkLabel: "Users in Entra", URL: entraUsers,
	},
	"entra.ca_requires_mfa": {
		Sentence:  "Turn on a conditional-access policy that requires multi-factor authentication for all users; a policy in report-only mode does not count.",
		LinkLabel: "Conditional Access policies in Entra", URL: entraConditionalAccess,
	},
	"entra.inactive_accounts": {
		Sentence:  "Disable or delete each listed account nobody uses any more; exclude service accounts that never sign in, with the reason.",
		LinkLabel: "Users in Entra", URL: entraUsers,
	},
	"entra.risky_users_unresolved": {
		Sentence:  "Investigate each listed user in ID Protection, then reset their password and confirm the compromise, or dismiss the risk if it is a false positive.",
		LinkLabel: "Risky users in Entra ID Protection", URL: entraRiskyUsers,
	},
	"entra.risky_signins_collected": {
		Sentence:  "Check that the tenant has Entra ID P2 and that the connection was granted IdentityRiskEvent.Read.All; re-authorize it if the permission was added later.",
		LinkLabel: "Risky sign-ins in Entra ID Protection", URL: entraRiskySignIns,
	},
}

// GuidanceFor is what to do when the check fails, if the page knows.
func GuidanceFor(key string) (Guidance, bool) {
	g, ok := guidance[key]
	return g, ok
}
