package githubsim

import (
	"net/http"
	"strings"
)

// repoJSON is a repository as the list endpoints answer it.
type repoJSON struct {
	ID            int64       `json:"id"`
	Name          string      `json:"name"`
	FullName      string      `json:"full_name"`
	Owner         accountJSON `json:"owner"`
	Private       bool        `json:"private"`
	Visibility    string      `json:"visibility"`
	Archived      bool        `json:"archived"`
	Disabled      bool        `json:"disabled"`
	Fork          bool        `json:"fork"`
	DefaultBranch string      `json:"default_branch"`
	CreatedAt     string      `json:"created_at"`
	PushedAt      string      `json:"pushed_at"`
}

func (s *Simulator) repoJSON(r *Repo) repoJSON {
	return repoJSON{ID: r.ID, Name: r.Name, FullName: s.org.Login + "/" + r.Name,
		Owner:   accountJSON{Login: s.org.Login, ID: s.org.ID, Type: "Organization"},
		Private: r.Visibility != "public", Visibility: r.Visibility, Archived: r.Archived, Disabled: r.Disabled, Fork: r.Fork,
		DefaultBranch: r.DefaultBranch, CreatedAt: stamp(r.CreatedAt), PushedAt: stamp(r.PushedAt)}
}

// visibleRepos are the organization's repositories the token reaches.
func (c *call) visibleRepos() []repoJSON {
	out := []repoJSON{}
	for _, r := range c.s.org.Repos {
		if c.sees(r.Name) {
			out = append(out, c.s.repoJSON(r))
		}
	}
	return out
}

func (s *Simulator) listRepos(c *call) {
	if !c.theOrg() {
		return
	}
	page, link, ok := paginate(c, c.visibleRepos())
	if ok {
		c.json(http.StatusOK, page, link)
	}
}

func (s *Simulator) installationRepos(c *call) {
	all := c.visibleRepos()
	page, link, ok := paginate(c, all)
	if ok {
		c.json(http.StatusOK, map[string]any{"total_count": len(all), "repository_selection": c.inst.selection, "repositories": page}, link)
	}
}

// theRepo finds the path's {owner}/{repo} among the repositories the token
// reaches; a private repository it cannot see is 404, as GitHub answers.
func (c *call) theRepo() *Repo {
	if strings.EqualFold(c.r.PathValue("owner"), c.s.org.Login) {
		if r := c.s.org.repo(c.r.PathValue("repo")); r != nil && c.sees(r.Name) {
			return r
		}
	}
	c.fail(http.StatusNotFound, msgNotFound)
	return nil
}

// planAllows reports whether the plan protects r, answering the documented
// 403 for a private repository on the Free plan.
func (c *call) planAllows(r *Repo) bool {
	if c.s.org.Plan == PlanFree && r.Visibility != "public" {
		c.fail(http.StatusForbidden, msgUpgrade)
		return false
	}
	return true
}

type enabledJSON struct {
	Enabled bool `json:"enabled"`
}

type reviewsJSON struct {
	RequiredApprovingReviewCount int  `json:"required_approving_review_count"`
	DismissStaleReviews          bool `json:"dismiss_stale_reviews"`
	RequireCodeOwnerReviews      bool `json:"require_code_owner_reviews"`
	RequireLastPushApproval      bool `json:"require_last_push_approval"`
}

type statusChecksJSON struct {
	Strict   bool     `json:"strict"`
	Contexts []string `json:"contexts"`
}

// protectionJSON is classic branch protection; an absent sub-object means
// that rule is off.
type protectionJSON struct {
	URL                        string            `json:"url"`
	RequiredPullRequestReviews *reviewsJSON      `json:"required_pull_request_reviews,omitempty"`
	RequiredStatusChecks       *statusChecksJSON `json:"required_status_checks,omitempty"`
	EnforceAdmins              enabledJSON       `json:"enforce_admins"`
	AllowForcePushes           enabledJSON       `json:"allow_force_pushes"`
	AllowDeletions             enabledJSON       `json:"allow_deletions"`
}

func (s *Simulator) getProtection(c *call) {
	r := c.theRepo()
	if r == nil || !c.planAllows(r) {
		return
	}
	if c.r.PathValue("branch") != r.DefaultBranch {
		c.fail(http.StatusNotFound, "Branch not found")
		return
	}
	p := r.Protection
	if p == nil {
		c.fail(http.StatusNotFound, msgNotProtected)
		return
	}
	out := protectionJSON{URL: origin(c.r) + c.r.URL.EscapedPath(), EnforceAdmins: enabledJSON{p.EnforceAdmins},
		AllowForcePushes: enabledJSON{p.AllowForcePushes}, AllowDeletions: enabledJSON{p.AllowDeletions}}
	if p.RequiredApprovals >= 0 {
		out.RequiredPullRequestReviews = &reviewsJSON{RequiredApprovingReviewCount: p.RequiredApprovals, DismissStaleReviews: true}
	}
	if len(p.StatusChecks) > 0 {
		out.RequiredStatusChecks = &statusChecksJSON{Strict: true, Contexts: p.StatusChecks}
	}
	c.json(http.StatusOK, out, "")
}

// ruleJSON is one active rule for a branch.
type ruleJSON struct {
	Type              string         `json:"type"`
	RulesetSourceType string         `json:"ruleset_source_type"`
	RulesetSource     string         `json:"ruleset_source"`
	RulesetID         int64          `json:"ruleset_id"`
	Parameters        map[string]any `json:"parameters,omitempty"`
}

func (s *Simulator) getBranchRules(c *call) {
	r := c.theRepo()
	if r == nil || !c.planAllows(r) {
		return
	}
	out := []ruleJSON{}
	if c.r.PathValue("branch") == r.DefaultBranch {
		for _, rule := range r.Rules {
			j := ruleJSON{Type: rule.Type, RulesetSourceType: rule.SourceType, RulesetSource: rule.Source, RulesetID: rule.RulesetID}
			if rule.Type == "pull_request" {
				j.Parameters = map[string]any{"required_approving_review_count": rule.RequiredApprovals, "dismiss_stale_reviews_on_push": true,
					"require_code_owner_review": false, "require_last_push_approval": false, "required_review_thread_resolution": false}
			}
			out = append(out, j)
		}
	}
	page, link, ok := paginate(c, out)
	if ok {
		c.json(http.StatusOK, page, link)
	}
}

// collaboratorJSON is a repository collaborator with its permissions.
type collaboratorJSON struct {
	userJSON
	Permissions map[string]bool `json:"permissions"`
	RoleName    string          `json:"role_name"`
}

// permissionLevels orders the repository roles, weakest first.
var permissionLevels = []string{"pull", "triage", "push", "maintain", "admin"}

// listRepoCollaborators is GET /repos/{owner}/{repo}/collaborators. The
// simulator models outside collaborators only: affiliation=direct answers
// none.
func (s *Simulator) listRepoCollaborators(c *call) {
	r := c.theRepo()
	if r == nil {
		return
	}
	aff := c.r.URL.Query().Get("affiliation")
	out := []collaboratorJSON{}
	switch aff {
	case "", "all", "outside":
		for _, col := range r.Collaborators {
			perms := map[string]bool{}
			granted := true
			for _, level := range permissionLevels {
				perms[level] = granted
				if level == col.Permission {
					granted = false
				}
			}
			out = append(out, collaboratorJSON{userJSON: toUser(col.User), Permissions: perms, RoleName: roleName(col.Permission)})
		}
	case "direct":
	default:
		c.fail(http.StatusUnprocessableEntity, msgValidationFailed)
		return
	}
	page, link, ok := paginate(c, out)
	if ok {
		c.json(http.StatusOK, page, link)
	}
}

// roleName is the role_name GitHub shows for a permission.
func roleName(p string) string {
	switch p {
	case "pull":
		return "read"
	case "push":
		return "write"
	}
	return p
}
