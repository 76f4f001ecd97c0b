package github

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/pgtext"
)

func (s *Session) orgPath(suffix string) string {
	return "/orgs/" + url.PathEscape(s.settings.Org) + suffix
}

// orgSettings reads GET /orgs/{org} once per session. Fields GitHub does
// not show the App stay nil: unknown, not false.
func (s *Session) orgSettings(ctx context.Context) (OrgSettings, error) {
	return s.org.get(func() (OrgSettings, error) {
		var w orgWire
		if _, err := s.api.getJSON(ctx, routeOrg, s.orgPath(""), &w); err != nil {
			return OrgSettings{}, err
		}
		o := OrgSettings{Login: pgtext.Clean(w.Login), ID: w.ID, TwoFactorRequired: w.TwoFactorRequirementEnabled,
			DefaultRepositoryPermission: w.DefaultRepositoryPermission, MembersCanCreateRepositories: w.MembersCanCreateRepositories,
			MembersCanCreatePublicRepositories: w.MembersCanCreatePublicRepositories, MembersCanCreatePrivateRepositories: w.MembersCanCreatePrivateRepositories,
			MembersCanDeleteRepositories: w.MembersCanDeleteRepositories, MembersCanChangeRepoVisibility: w.MembersCanChangeRepoVisibility,
			MembersCanInviteOutsideCollaborators: w.MembersCanInviteOutsideCollaborators}
		if w.Plan != nil {
			o.Plan = w.Plan.Name
		}
		return o, nil
	})
}

// collectOrgSettings is the organization's settings, one record.
func collectOrgSettings(ctx context.Context, s *Session) ([]connector.Record, error) {
	o, err := s.orgSettings(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.snap.Org = &o
	s.mu.Unlock()
	var rs records
	rs.add(KindOrgSettings, o.Login, o.Login, s.now, o)
	return rs.result()
}

// collectMembers reads the owners (role=admin) and every member: the list
// carries no role, so the two calls make it.
func collectMembers(ctx context.Context, s *Session) ([]connector.Record, error) {
	owners, err := allPages[userWire](ctx, s.api, routeMembers, s.orgPath("/members?role=admin&per_page=100"))
	if err != nil {
		return nil, err
	}
	all, err := allPages[userWire](ctx, s.api, routeMembers, s.orgPath("/members?per_page=100"))
	if err != nil {
		return nil, err
	}
	isOwner := map[int64]bool{}
	for _, u := range owners {
		isOwner[u.ID] = true
	}
	var rs records
	var sum MembersSummary
	for _, u := range all {
		m := Member{Login: pgtext.Clean(u.Login), ID: u.ID, Type: u.Type, Role: "member"}
		if isOwner[u.ID] {
			m.Role = "admin"
			sum.Owners++
		}
		if u.Type == "Bot" {
			sum.Bots++
		}
		sum.Total++
		rs.add(KindMember, m.Login, m.Login, s.now, m)
	}
	rs.add(KindMembersSummary, "summary", "Members", s.now, sum)
	return rs.result()
}

// repositories reads, once per session, every repository the installation
// sees and the installation's repository selection.
func (s *Session) repositories(ctx context.Context) (repoList, error) {
	return s.repos.get(func() (repoList, error) {
		var inst installationReposWire
		if _, err := s.api.getJSON(ctx, routeInstallationRepos, "/installation/repositories?per_page=1", &inst); err != nil {
			return repoList{}, err
		}
		list, err := allPages[repoWire](ctx, s.api, routeOrgRepos, s.orgPath("/repos?type=all&per_page=100"))
		if err != nil {
			return repoList{}, err
		}
		out := repoList{selection: inst.RepositorySelection}
		for _, w := range list {
			r := Repository{ID: w.ID, FullName: pgtext.Clean(w.FullName), Visibility: w.Visibility, Archived: w.Archived, Disabled: w.Disabled, Fork: w.Fork,
				DefaultBranch: pgtext.Clean(w.DefaultBranch), CreatedAt: connector.PayloadTime(w.CreatedAt), LastPush: connector.PayloadDay(w.PushedAt)}
			if r.Visibility == "" && w.Private {
				r.Visibility = "private"
			}
			out.repos = append(out.repos, r)
		}
		slices.SortFunc(out.repos, func(a, b Repository) int { return strings.Compare(a.FullName, b.FullName) })
		return out, nil
	})
}

// collectRepositories is the repository inventory and its summary.
func collectRepositories(ctx context.Context, s *Session) ([]connector.Record, error) {
	list, err := s.repositories(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.snap.Repositories, s.snap.RepositorySelection = list.repos, list.selection
	s.mu.Unlock()
	sum := RepositoriesSummary{RepositorySelection: list.selection}
	var rs records
	for _, r := range list.repos {
		sum.Total++
		switch {
		case r.Archived:
			sum.Archived++
		case r.Disabled:
			sum.Disabled++
		default:
			sum.Active++
		}
		switch r.Visibility {
		case "public":
			sum.Public++
		case "internal":
			sum.Internal++
		default:
			sum.Private++
		}
		rs.add(KindRepository, r.FullName, r.FullName, s.now, r)
	}
	rs.add(KindRepositoriesSummary, "summary", "Repositories", s.now, sum)
	return rs.result()
}
