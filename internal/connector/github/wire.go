package github

import "time"

// The wire types: GitHub's answers, trimmed to the documented fields the
// connector reads (github.md sections 2 to 6).

// orgWire is GET /orgs/{org}. The owner-only fields are pointers: absent
// or null is unknown, never false.
type orgWire struct {
	Login string `json:"login"`
	ID    int64  `json:"id"`
	Plan  *struct {
		Name string `json:"name"`
	} `json:"plan"`
	TwoFactorRequirementEnabled          *bool   `json:"two_factor_requirement_enabled"`
	DefaultRepositoryPermission          *string `json:"default_repository_permission"`
	MembersCanCreateRepositories         *bool   `json:"members_can_create_repositories"`
	MembersCanCreatePublicRepositories   *bool   `json:"members_can_create_public_repositories"`
	MembersCanCreatePrivateRepositories  *bool   `json:"members_can_create_private_repositories"`
	MembersCanDeleteRepositories         *bool   `json:"members_can_delete_repositories"`
	MembersCanChangeRepoVisibility       *bool   `json:"members_can_change_repo_visibility"`
	MembersCanInviteOutsideCollaborators *bool   `json:"members_can_invite_outside_collaborators"`
}

// userWire is a simple-user object.
type userWire struct {
	Login string `json:"login"`
	ID    int64  `json:"id"`
	Type  string `json:"type"`
}

// collaboratorWire is a repository collaborator with its permissions.
type collaboratorWire struct {
	userWire
	Permissions map[string]bool `json:"permissions"`
	RoleName    string          `json:"role_name"`
}

// repoWire is a repository of a list.
type repoWire struct {
	ID            int64      `json:"id"`
	Name          string     `json:"name"`
	FullName      string     `json:"full_name"`
	Visibility    string     `json:"visibility"`
	Private       bool       `json:"private"`
	Archived      bool       `json:"archived"`
	Disabled      bool       `json:"disabled"`
	Fork          bool       `json:"fork"`
	DefaultBranch string     `json:"default_branch"`
	CreatedAt     *time.Time `json:"created_at"`
	PushedAt      *time.Time `json:"pushed_at"`
	Owner         userWire   `json:"owner"`
}

// installationReposWire is GET /installation/repositories.
type installationReposWire struct {
	TotalCount          int    `json:"total_count"`
	RepositorySelection string `json:"repository_selection"`
}

type enabledWire struct {
	Enabled bool `json:"enabled"`
}

// protectionWire is classic branch protection: an absent sub-object means
// that rule is off.
type protectionWire struct {
	RequiredPullRequestReviews *struct {
		RequiredApprovingReviewCount int `json:"required_approving_review_count"`
	} `json:"required_pull_request_reviews"`
	RequiredStatusChecks *struct {
		Contexts []string `json:"contexts"`
	} `json:"required_status_checks"`
	EnforceAdmins    *enabledWire `json:"enforce_admins"`
	AllowForcePushes *enabledWire `json:"allow_force_pushes"`
	AllowDeletions   *enabledWire `json:"allow_deletions"`
}

// ruleWire is one active rule for a branch.
type ruleWire struct {
	Type              string `json:"type"`
	RulesetSourceType string `json:"ruleset_source_type"`
	RulesetSource     string `json:"ruleset_source"`
	RulesetID         int64  `json:"ruleset_id"`
	Parameters        struct {
		RequiredApprovingReviewCount int `json:"required_approving_review_count"`
		RequiredStatusChecks         []struct {
			Context string `json:"context"`
		} `json:"required_status_checks"`
	} `json:"parameters"`
}

// alertWire is a Dependabot alert.
type alertWire struct {
	Number     int       `json:"number"`
	State      string    `json:"state"`
	CreatedAt  time.Time `json:"created_at"`
	HTMLURL    string    `json:"html_url"`
	Dependency struct {
		Package struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
		} `json:"package"`
		ManifestPath string `json:"manifest_path"`
	} `json:"dependency"`
	SecurityAdvisory struct {
		GHSAID   string `json:"ghsa_id"`
		CVEID    string `json:"cve_id"`
		Severity string `json:"severity"`
		Summary  string `json:"summary"`
	} `json:"security_advisory"`
	SecurityVulnerability struct {
		Severity string `json:"severity"`
	} `json:"security_vulnerability"`
	Repository struct {
		FullName string `json:"full_name"`
	} `json:"repository"`
}
