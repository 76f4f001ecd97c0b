package githubsim

import (
	"net/http"
	"slices"
	"strings"
)

// orgJSON is GET /orgs/{org}. The owner-only fields are pointers, absent
// unless the token holds organization_administration; plan needs
// organization_plan (github.md section 2).
type orgJSON struct {
	Login                                string    `json:"login"`
	ID                                   int64     `json:"id"`
	Type                                 string    `json:"type"`
	Plan                                 *planJSON `json:"plan,omitempty"`
	TwoFactorRequirementEnabled          *bool     `json:"two_factor_requirement_enabled,omitempty"`
	DefaultRepositoryPermission          *string   `json:"default_repository_permission,omitempty"`
	MembersCanCreateRepositories         *bool     `json:"members_can_create_repositories,omitempty"`
	MembersCanCreatePublicRepositories   *bool     `json:"members_can_create_public_repositories,omitempty"`
	MembersCanCreatePrivateRepositories  *bool     `json:"members_can_create_private_repositories,omitempty"`
	MembersCanDeleteRepositories         *bool     `json:"members_can_delete_repositories,omitempty"`
	MembersCanChangeRepoVisibility       *bool     `json:"members_can_change_repo_visibility,omitempty"`
	MembersCanInviteOutsideCollaborators *bool     `json:"members_can_invite_outside_collaborators,omitempty"`
}

type planJSON struct {
	Name string `json:"name"`
}

// userJSON is a simple-user object.
type userJSON struct {
	Login     string `json:"login"`
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	SiteAdmin bool   `json:"site_admin"`
}

func toUser(u User) userJSON { return userJSON{Login: u.Login, ID: u.ID, Type: u.Type} }

// theOrg checks the {org} of the path names the installation's organization
// (case-insensitively, as GitHub's logins are), answering 404 otherwise.
func (c *call) theOrg() bool {
	if !strings.EqualFold(c.r.PathValue("org"), c.s.org.Login) {
		c.fail(http.StatusNotFound, msgNotFound)
		return false
	}
	return true
}

func (s *Simulator) getOrg(c *call) {
	if !c.theOrg() {
		return
	}
	o := s.org
	out := orgJSON{Login: o.Login, ID: o.ID, Type: "Organization"}
	if c.tok.permissions["organization_plan"] != "" {
		out.Plan = &planJSON{Name: string(o.Plan)}
	}
	if c.tok.permissions["organization_administration"] != "" {
		b := func(v bool) *bool { return &v }
		perm := o.DefaultRepositoryPermission
		out.TwoFactorRequirementEnabled = o.TwoFactorRequired
		out.DefaultRepositoryPermission = &perm
		out.MembersCanCreateRepositories = b(o.MembersCanCreateRepositories)
		out.MembersCanCreatePublicRepositories = b(o.MembersCanCreatePublicRepositories)
		out.MembersCanCreatePrivateRepositories = b(o.MembersCanCreatePrivateRepositories)
		out.MembersCanDeleteRepositories = b(o.MembersCanDeleteRepositories)
		out.MembersCanChangeRepoVisibility = b(o.MembersCanChangeRepoVisibility)
		out.MembersCanInviteOutsideCollaborators = b(o.MembersCanInviteOutsideCollaborators)
	}
	c.json(http.StatusOK, out, "")
}

// twoFactorFilter applies filter=all|2fa_disabled|2fa_insecure, answering
// 422 for another value.
func twoFactorFilter(c *call, u User) (keep, ok bool) {
	switch c.r.URL.Query().Get("filter") {
	case "", "all":
		return true, true
	case "2fa_disabled", "2fa_insecure":
		return !u.TwoFactor, true
	}
	c.fail(http.StatusUnprocessableEntity, msgValidationFailed)
	return false, false
}

func (s *Simulator) listMembers(c *call) {
	if !c.theOrg() {
		return
	}
	role := c.r.URL.Query().Get("role")
	if !slices.Contains([]string{"", "all", "admin", "member"}, role) {
		c.fail(http.StatusUnprocessableEntity, msgValidationFailed)
		return
	}
	out := []userJSON{}
	for _, m := range s.org.Members {
		keep, ok := twoFactorFilter(c, m.User)
		if !ok {
			return
		}
		if keep && (role == "" || role == "all" || role == m.Role) {
			out = append(out, toUser(m.User))
		}
	}
	page, link, ok := paginate(c, out)
	if ok {
		c.json(http.StatusOK, page, link)
	}
}

func (s *Simulator) listOutsideCollaborators(c *call) {
	if !c.theOrg() {
		return
	}
	out := []userJSON{}
	for _, u := range s.org.OutsideCollaborators {
		keep, ok := twoFactorFilter(c, u)
		if !ok {
			return
		}
		if keep {
			out = append(out, toUser(u))
		}
	}
	page, link, ok := paginate(c, out)
	if ok {
		c.json(http.StatusOK, page, link)
	}
}
