package githubsim

import "time"

// Plan is an organization's GitHub plan (the `plan.name` of GET /orgs/{org}).
type Plan string

// The plans the simulator distinguishes.
const (
	// PlanFree cannot protect private repositories: classic protection and
	// the rules endpoint answer the documented 403 for them.
	PlanFree Plan = "free"
	// PlanTeam protects private repositories.
	PlanTeam Plan = "team"
	// PlanEnterprise is GitHub Enterprise Cloud: 15,000 requests an hour per
	// installation.
	PlanEnterprise Plan = "enterprise"
)

// Org is a simulated organization and everything in it. The simulator reads
// it under its lock; change it only through the Simulator's methods once the
// simulator serves requests.
type Org struct {
	Login string
	ID    int64
	Plan  Plan
	// TwoFactorRequired is `two_factor_requirement_enabled`; nil answers null.
	TwoFactorRequired *bool
	// DefaultRepositoryPermission is read, write, admin or none.
	DefaultRepositoryPermission          string
	MembersCanCreateRepositories         bool
	MembersCanCreatePublicRepositories   bool
	MembersCanCreatePrivateRepositories  bool
	MembersCanDeleteRepositories         bool
	MembersCanChangeRepoVisibility       bool
	MembersCanInviteOutsideCollaborators bool
	Members                              []Member
	OutsideCollaborators                 []User
	Repos                                []*Repo
	Alerts                               []Alert
}

// User is a GitHub account (a simple-user object).
type User struct {
	Login string
	ID    int64
	// Type is "User" or "Bot".
	Type string
	// TwoFactor is whether the account has two-factor authentication; it is
	// visible only through the members' `filter=2fa_disabled`.
	TwoFactor bool
}

// Member is an organization member and its role: "admin" (an owner) or
// "member".
type Member struct {
	User
	Role string
}

// Repo is a repository of the organization.
type Repo struct {
	ID   int64
	Name string
	// Visibility is public, private or internal.
	Visibility string
	Archived   bool
	// Disabled is a repository GitHub disabled (billing, terms of service).
	Disabled      bool
	Fork          bool
	DefaultBranch string
	CreatedAt     time.Time
	PushedAt      time.Time
	// Protection is the default branch's classic protection; nil answers
	// 404 "Branch not protected".
	Protection *Protection
	// Rules are the active rules applying to the default branch.
	Rules []Rule
	// Collaborators are the outside collaborators with access to the
	// repository and their permission (admin, maintain, push, triage, pull).
	Collaborators []Collaborator
}

// Protection is a branch's classic protection. RequiredApprovals below zero
// means pull requests are not required (no required_pull_request_reviews).
type Protection struct {
	RequiredApprovals int
	EnforceAdmins     bool
	AllowForcePushes  bool
	AllowDeletions    bool
	StatusChecks      []string
}

// Rule is one active ruleset rule applying to a branch.
type Rule struct {
	// Type is pull_request, non_fast_forward, deletion, required_status_checks...
	Type string
	// SourceType is Repository, Organization or Enterprise.
	SourceType string
	Source     string
	RulesetID  int64
	// RequiredApprovals is the pull_request rule's required_approving_review_count.
	RequiredApprovals int
}

// Collaborator is an outside collaborator's access to one repository.
type Collaborator struct {
	User
	Permission string
}

// Alert is a Dependabot alert.
type Alert struct {
	Number int
	Repo   string // the repository's name within the organization
	// State is open, dismissed, fixed or auto_dismissed.
	State string
	// Severity is low, medium, high or critical.
	Severity     string
	Ecosystem    string
	Package      string
	ManifestPath string
	GHSA         string
	CVE          string
	Summary      string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// repo returns the repository named name, or nil.
func (o *Org) repo(name string) *Repo {
	for _, r := range o.Repos {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// users counts the organization's users for the rate limit: members and
// outside collaborators.
func (o *Org) users() int { return len(o.Members) + len(o.OutsideCollaborators) }
