package github

// The evidence types, one per kind (schema 1). Field order is the encoding
// order; volatile values are normalized (last push to the day, lists
// sorted) so that an unchanged organization encodes to the same bytes.

// OrgSettings is a github.org_settings record. A nil field was not visible
// to the App (GitHub shows it to owners only): unknown, never false.
type OrgSettings struct {
	Login                                string  `json:"login"`
	ID                                   int64   `json:"id"`
	Plan                                 string  `json:"plan"`
	TwoFactorRequired                    *bool   `json:"two_factor_required"`
	DefaultRepositoryPermission          *string `json:"default_repository_permission"`
	MembersCanCreateRepositories         *bool   `json:"members_can_create_repositories"`
	MembersCanCreatePublicRepositories   *bool   `json:"members_can_create_public_repositories"`
	MembersCanCreatePrivateRepositories  *bool   `json:"members_can_create_private_repositories"`
	MembersCanDeleteRepositories         *bool   `json:"members_can_delete_repositories"`
	MembersCanChangeRepoVisibility       *bool   `json:"members_can_change_repo_visibility"`
	MembersCanInviteOutsideCollaborators *bool   `json:"members_can_invite_outside_collaborators"`
}

// Member is a github.member record.
type Member struct {
	Login string `json:"login"`
	ID    int64  `json:"id"`
	// Type is User or Bot.
	Type string `json:"type"`
	// Role is admin (an owner) or member.
	Role string `json:"role"`
}

// MembersSummary is a github.members_summary record.
type MembersSummary struct {
	Total  int `json:"total"`
	Owners int `json:"owners"`
	Bots   int `json:"bots"`
}

// RepoAccess is an outside collaborator's permission on one repository.
type RepoAccess struct {
	Repository string `json:"repository"`
	Permission string `json:"permission"`
}

// OutsideCollaborator is a github.outside_collaborator record.
type OutsideCollaborator struct {
	Login        string       `json:"login"`
	ID           int64        `json:"id"`
	Type         string       `json:"type"`
	Repositories []RepoAccess `json:"repositories"`
	// AdminOn lists the repositories where the collaborator is admin.
	AdminOn []string `json:"admin_on"`
}

// OutsideCollaboratorsSummary is a github.outside_collaborators_summary record.
type OutsideCollaboratorsSummary struct {
	Total     int `json:"total"`
	WithAdmin int `json:"with_admin"`
}

// Repository is a github.repository record.
type Repository struct {
	ID         int64  `json:"id"`
	FullName   string `json:"full_name"`
	Visibility string `json:"visibility"`
	Archived   bool   `json:"archived"`
	// Disabled is a repository GitHub disabled (billing, terms of service):
	// nobody can push to it.
	Disabled      bool   `json:"disabled"`
	Fork          bool   `json:"fork"`
	DefaultBranch string `json:"default_branch"`
	CreatedAt     string `json:"created_at"`
	// LastPush is the day of the last push.
	LastPush string `json:"last_push"`
}

// Active reports a repository whose default branch is held to the change
// rules: neither archived nor disabled, so it can still change.
func (r Repository) Active() bool { return !r.Archived && !r.Disabled }

// RepositoriesSummary is a github.repositories_summary record.
type RepositoriesSummary struct {
	Total    int `json:"total"`
	Active   int `json:"active"`
	Archived int `json:"archived"`
	Disabled int `json:"disabled"`
	Public   int `json:"public"`
	Private  int `json:"private"`
	Internal int `json:"internal"`
	// RepositorySelection is the installation's: "selected" means the
	// evidence covers only the repositories the owner chose.
	RepositorySelection string `json:"repository_selection"`
}

// Branch rule statuses.
const (
	// RulesRead: rulesets and classic protection were read.
	RulesRead = "read"
	// RulesNotOnPlan: the plan offers no protection for this repository
	// (the Free plan's 403 for a private repository); recorded, not a
	// read failure.
	RulesNotOnPlan = "not_available_on_plan"
)

// BranchRules is a github.branch_rules record: the effective rules of an
// active repository's default branch, rulesets and classic protection
// combined (github.md section 5).
type BranchRules struct {
	Repository string `json:"repository"`
	Branch     string `json:"branch"`
	Status     string `json:"status"`
	// Plan is the organization's plan where visible, to explain
	// RulesNotOnPlan.
	Plan              string  `json:"plan"`
	ClassicProtection bool    `json:"classic_protection"`
	Rulesets          []int64 `json:"rulesets"`
	// RequiredApprovals is the larger of classic protection's and every
	// pull_request rule's required_approving_review_count.
	RequiredApprovals int  `json:"required_approvals"`
	ForcePushBlocked  bool `json:"force_push_blocked"`
	DeletionBlocked   bool `json:"deletion_blocked"`
	// EnforceAdmins is known from classic protection only; who may bypass a
	// ruleset is not visible to a read-only App.
	EnforceAdmins        *bool    `json:"enforce_admins"`
	RequiredStatusChecks []string `json:"required_status_checks"`
}

// BranchRulesSummary is a github.branch_rules_summary record.
type BranchRulesSummary struct {
	Repositories       int `json:"repositories"`
	RequiringReview    int `json:"requiring_review"`
	BlockingForcePush  int `json:"blocking_force_push"`
	BlockingDeletion   int `json:"blocking_deletion"`
	NotAvailableOnPlan int `json:"not_available_on_plan"`
}

// DependabotAlert is a github.dependabot_alert record: an open alert. Its
// age is counted from OpenedAt (created_at: a reopened alert keeps its
// first date).
type DependabotAlert struct {
	Repository   string `json:"repository"`
	Number       int    `json:"number"`
	Severity     string `json:"severity"`
	Ecosystem    string `json:"ecosystem"`
	Package      string `json:"package"`
	ManifestPath string `json:"manifest_path"`
	GHSAID       string `json:"ghsa_id"`
	CVEID        string `json:"cve_id"`
	Summary      string `json:"summary"`
	OpenedAt     string `json:"opened_at"`
	URL          string `json:"url"`
}

// DependabotSummary is a github.dependabot_summary record.
type DependabotSummary struct {
	Open     int `json:"open"`
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
	// CriticalOrHighOverLimit counts critical and high alerts open longer
	// than the check's day limit, LimitDays.
	CriticalOrHighOverLimit int `json:"critical_or_high_over_limit"`
	LimitDays               int `json:"limit_days"`
}
