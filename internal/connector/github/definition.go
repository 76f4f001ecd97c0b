package github

import (
	"maps"
	"slices"
	"time"

	"github.com/attesthq/attest/internal/connector"
)

// Key identifies the connector in URLs, settings and job arguments.
const Key = "github"

// Evidence kinds produced by the connector.
const (
	KindOrgSettings                 = "github.org_settings"
	KindMember                      = "github.member"
	KindMembersSummary              = "github.members_summary"
	KindOutsideCollaborator         = "github.outside_collaborator"
	KindOutsideCollaboratorsSummary = "github.outside_collaborators_summary"
	KindRepository                  = "github.repository"
	KindRepositoriesSummary         = "github.repositories_summary"
	KindBranchRules                 = "github.branch_rules"
	KindBranchRulesSummary          = "github.branch_rules_summary"
	KindDependabotAlert             = "github.dependabot_alert"
	KindDependabotSummary           = "github.dependabot_summary"
)

// Dataset keys, in the order a sync reads them (serially: GitHub asks for
// one request at a time per installation).
const (
	DatasetOrgSettings          = "org_settings"
	DatasetMembers              = "members"
	DatasetRepositories         = "repositories"
	DatasetOutsideCollaborators = "outside_collaborators"
	DatasetBranchRules          = "branch_rules"
	DatasetDependabotAlerts     = "dependabot_alerts"
)

var datasets = []connector.Dataset{
	// The organization's settings are one record, which is its own summary.
	{Key: DatasetOrgSettings, Title: "Organization settings", Kinds: []string{KindOrgSettings}},
	{Key: DatasetMembers, Title: "Members", Kinds: []string{KindMember, KindMembersSummary}},
	{Key: DatasetRepositories, Title: "Repositories", Kinds: []string{KindRepository, KindRepositoriesSummary}},
	{Key: DatasetOutsideCollaborators, Title: "Outside collaborators", Kinds: []string{KindOutsideCollaborator, KindOutsideCollaboratorsSummary}},
	{Key: DatasetBranchRules, Title: "Default-branch rules", Kinds: []string{KindBranchRules, KindBranchRulesSummary}},
	{Key: DatasetDependabotAlerts, Title: "Dependabot alerts", Kinds: []string{KindDependabotAlert, KindDependabotSummary}},
}

// Check keys.
const (
	CheckOrgRequires2FA    = "github.org_requires_2fa"
	CheckNoOutsideAdmins   = "github.no_outside_admins"
	CheckReviewRequired    = "github.default_branch_review"
	CheckNoForcePushDelete = "github.default_branch_no_force_push"
	CheckAlertsResolved    = "github.dependabot_alerts_resolved"
)

// ParamMaxOpenDays is the alert check's parameter: how many days a
// critical or high alert may stay open.
const ParamMaxOpenDays = "max_open_days"

// checks are the connector's checks with the parameters each declares.
var checks = []connector.Check{
	{Key: CheckOrgRequires2FA, Title: "The organization requires two-factor authentication", Criteria: []string{"CC6.1"},
		Datasets:    []string{DatasetOrgSettings},
		Description: "The organization's two_factor_requirement_enabled setting is on. Unknown when GitHub does not show it to the App.",
		Fix:         connector.Fix{Sentence: "In the organization's Authentication security settings, require two-factor authentication for everyone (members without it are removed, so warn them first).", LinkLabel: "Requiring 2FA in your organization", URL: docsRequire2FA}},
	{Key: CheckNoOutsideAdmins, Title: "No outside collaborator has admin access", Criteria: []string{"CC6.3"},
		Datasets:    []string{DatasetOutsideCollaborators},
		Description: "No one outside the organization holds the admin role on any of its repositories.",
		Fix:         connector.Fix{Sentence: "Lower each listed outside collaborator to the write role or less, or remove them from the repository; make a lasting admin a member instead.", LinkLabel: "Managing outside collaborators", URL: docsOutsideCollaborators}},
	{Key: CheckReviewRequired, Title: "Every active repository's default branch requires an approving review", Criteria: []string{"CC8.1"},
		Datasets:    []string{DatasetRepositories, DatasetBranchRules},
		Description: "Rulesets or classic branch protection require at least one approving review before a change reaches the default branch of each repository that is not archived.",
		Fix:         connector.Fix{Sentence: "Add an organization ruleset (or branch protection) on the default branch that requires a pull request with at least one approving review; exclude sandbox repositories here, with the reason.", LinkLabel: "Creating rulesets", URL: docsRulesets}},
	{Key: CheckNoForcePushDelete, Title: "Default branches refuse force pushes and deletion", Criteria: []string{"CC8.1"},
		Datasets:    []string{DatasetRepositories, DatasetBranchRules},
		Description: "The default branch of each repository that is not archived can be neither force-pushed nor deleted.",
		Fix:         connector.Fix{Sentence: "In the default branch's ruleset (or branch protection), block force pushes and restrict deletions.", LinkLabel: "Creating rulesets", URL: docsRulesets}},
	{Key: CheckAlertsResolved, Title: "No critical or high Dependabot alert stays open too long", Criteria: []string{"CC7.1"},
		Datasets:    []string{DatasetDependabotAlerts},
		Description: "No critical or high Dependabot alert has been open longer than the check's limit (30 days unless changed).",
		Fix:         connector.Fix{Sentence: "Merge the Dependabot update or upgrade the dependency for each listed alert, or dismiss it with a reason where it does not apply.", LinkLabel: "Viewing and updating Dependabot alerts", URL: docsDependabotAlerts},
		Params:      []connector.Param{paramMaxOpenDays}},
}

// GitHub's documentation pages a check's fix links to (the settings pages
// themselves are per organization).
const (
	docsRequire2FA           = "https://docs.github.com/en/organizations/keeping-your-organization-secure/managing-two-factor-authentication-for-your-organization/requiring-two-factor-authentication-in-your-organization"
	docsOutsideCollaborators = "https://docs.github.com/en/organizations/managing-user-access-to-your-organizations-repositories/managing-outside-collaborators"
	docsRulesets             = "https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/creating-rulesets-for-a-repository"
	docsDependabotAlerts     = "https://docs.github.com/en/code-security/dependabot/dependabot-alerts/viewing-and-updating-dependabot-alerts"
)

// paramMaxOpenDays is how many days a critical or high alert may stay
// open: the alert check's limit, also counted in the alert summary.
var paramMaxOpenDays = connector.Param{Key: ParamMaxOpenDays, Label: "Critical and high alerts may stay open (days)",
	Hint: "A critical or high Dependabot alert open longer fails the check.", Default: 30, Min: 1, Max: 365}

// definition is the connector's description, the single source for pages.
var definition = connector.Definition{
	Key:          Key,
	Name:         "GitHub",
	Category:     "Source control",
	Auth:         "GitHub App",
	AuthKind:     connector.AuthAppInstallation,
	Provider:     "GitHub",
	Account:      "organization",
	Limits:       RateLimits,
	ConnectIntro: "Create a read-only GitHub App for your organization (attest prepares it), install it, and attest verifies the installation with the App's key.",
	Summary:      "Your own read-only GitHub App, installed on your organization. Pulls organization settings, members, outside collaborators, repositories, default-branch rules and Dependabot alerts for SOC 2 change-management and vulnerability evidence.",
	Cadence:      time.Hour,
	StaleAfter:   6 * time.Hour,
	Scopes:       scopes(),
	Evidence: []connector.EvidenceKind{
		{Kind: KindOrgSettings, Fields: connector.JSONFields(OrgSettings{}), Title: "Organization settings", SchemaVersion: 1, Criteria: []string{"CC6.1", "CC6.3"},
			Description: "The 2FA requirement, the base repository permission and who may create repositories; a setting GitHub does not show the App is unknown, not false."},
		{Kind: KindMember, Fields: connector.JSONFields(Member{}), Title: "Members", SchemaVersion: 1, Criteria: []string{"CC6.2", "CC6.3"},
			Description: "Every member with their role (owner or member) and account type (user or bot)."},
		{Kind: KindMembersSummary, Fields: connector.JSONFields(MembersSummary{}), Title: "Members summary", SchemaVersion: 1, Criteria: []string{"CC6.2"},
			Description: "Members, owners and bots."},
		{Kind: KindOutsideCollaborator, Fields: connector.JSONFields(OutsideCollaborator{}), Title: "Outside collaborators", SchemaVersion: 1, Criteria: []string{"CC6.2", "CC6.3"},
			Description: "Each outside collaborator with the repositories they reach and their permission on each."},
		{Kind: KindOutsideCollaboratorsSummary, Fields: connector.JSONFields(OutsideCollaboratorsSummary{}), Title: "Outside collaborators summary", SchemaVersion: 1, Criteria: []string{"CC6.3"},
			Description: "Outside collaborators, and how many hold admin somewhere."},
		{Kind: KindRepository, Fields: connector.JSONFields(Repository{}), Title: "Repositories", SchemaVersion: 1, Criteria: []string{"CC6.1", "CC8.1"},
			Description: "Every repository the App sees: visibility, archived, default branch, last push."},
		{Kind: KindRepositoriesSummary, Fields: connector.JSONFields(RepositoriesSummary{}), Title: "Repositories summary", SchemaVersion: 1, Criteria: []string{"CC8.1"},
			Description: "Repositories by state and visibility, and whether the App sees all of them."},
		{Kind: KindBranchRules, Fields: connector.JSONFields(BranchRules{}), Title: "Default-branch rules", SchemaVersion: 1, Criteria: []string{"CC8.1"},
			Description: "Per active repository: required approvals, force push and deletion blocked, from rulesets and classic protection, or not available on the plan."},
		{Kind: KindBranchRulesSummary, Fields: connector.JSONFields(BranchRulesSummary{}), Title: "Default-branch rules summary", SchemaVersion: 1, Criteria: []string{"CC8.1"},
			Description: "Active repositories requiring review, blocking force pushes and deletion."},
		{Kind: KindDependabotAlert, Fields: connector.JSONFields(DependabotAlert{}), Title: "Dependabot alerts", SchemaVersion: 1, Criteria: []string{"CC7.1"},
			Description: "Each open alert with its severity, package and the day it opened."},
		{Kind: KindDependabotSummary, Fields: connector.JSONFields(DependabotSummary{}), Title: "Dependabot summary", SchemaVersion: 1, Criteria: []string{"CC7.1"},
			Description: "Open alerts by severity, and critical or high ones open past the limit."},
	},
	Steps: []connector.Step{
		{Title: "Create your App on GitHub",
			Body: "attest sends you to GitHub with a manifest: a private App with read-only permissions and no webhook. Confirm it under your organization; attest stores its private key sealed."},
		{Title: "Install it on your organization",
			Body: "Install the App on all repositories (selected repositories give partial evidence). attest checks the installation with the App's key before it trusts it."},
		{Title: "Or register it yourself",
			Body: "Create a GitHub App with the read-only permissions listed here, install it, then paste its App ID, private key and installation ID. For GitHub Enterprise Server or GHE.com, give the API root."},
	},
}

// scopes are the App's permissions, each read-only.
func scopes() []connector.Scope {
	out := make([]connector.Scope, 0, len(Permissions))
	for _, p := range slices.Sorted(maps.Keys(Permissions)) {
		out = append(out, connector.Scope{Name: p + ": read", Reason: Permissions[p]})
	}
	return out
}
