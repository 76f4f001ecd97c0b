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

// collectOrgSettings reads GET /orgs/{org}. Fields GitHub does not show the
// App stay nil: unknown, not false.
func collectOrgSettings(ctx context.Context, s *Session, snap *Snapshot, req CollectRequest) ([]connector.Record, error) {
	var w orgWire
	if _, err := s.api.getJSON(ctx, s.orgPath(""), &w); err != nil {
		return nil, err
	}
	o := OrgSettings{Login: pgtext.Clean(w.Login), ID: w.ID, TwoFactorRequired: w.TwoFactorRequirementEnabled,
		DefaultRepositoryPermission: w.DefaultRepositoryPermission, MembersCanCreateRepositories: w.MembersCanCreateRepositories,
		MembersCanCreatePublicRepositories: w.MembersCanCreatePublicRepositories, MembersCanCreatePrivateRepositories: w.MembersCanCreatePrivateRepositories,
		MembersCanDeleteRepositories: w.MembersCanDeleteRepositories, MembersCanChangeRepoVisibility: w.MembersCanChangeRepoVisibility,
		MembersCanInviteOutsideCollaborators: w.MembersCanInviteOutsideCollaborators}
	if w.Plan != nil {
		o.Plan = w.Plan.Name
	}
	snap.Org = &o
	var rs records
	rs.add(KindOrgSettings, o.Login, o.Login, req.Now, o)
	return rs.result()
}

// collectMembers reads the owners (role=admin) and every member: the list
// carries no role, so the two calls make it.
func collectMembers(ctx context.Context, s *Session, snap *Snapshot, req CollectRequest) ([]connector.Record, error) {
	owners, err := allPages[userWire](ctx, s.api, s.orgPath("/members?role=admin&per_page=100"))
	if err != nil {
		return nil, err
	}
	all, err := allPages[userWire](ctx, s.api, s.orgPath("/members?per_page=100"))
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
		snap.Members = append(snap.Members, m)
		rs.add(KindMember, m.Login, m.Login, req.Now, m)
	}
	rs.add(KindMembersSummary, "summary", "Members", req.Now, sum)
	return rs.result()
}

// collectRepositories reads every repository the installation sees, and
// the installation's repository selection.
func collectRepositories(ctx context.Context, s *Session, snap *Snapshot, req CollectRequest) ([]connector.Record, error) {
	var inst installationReposWire
	if _, err := s.api.getJSON(ctx, "/installation/repositories?per_page=1", &inst); err != nil {
		return nil, err
	}
	list, err := allPages[repoWire](ctx, s.api, s.orgPath("/repos?type=all&per_page=100"))
	if err != nil {
		return nil, err
	}
	snap.RepositorySelection = inst.RepositorySelection
	sum := RepositoriesSummary{RepositorySelection: inst.RepositorySelection}
	var rs records
	for _, w := range list {
		r := Repository{ID: w.ID, FullName: pgtext.Clean(w.FullName), Visibility: w.Visibility, Archived: w.Archived, Fork: w.Fork,
			DefaultBranch: pgtext.Clean(w.DefaultBranch), CreatedAt: stamp(w.CreatedAt), LastPush: day(w.PushedAt)}
		if r.Visibility == "" && w.Private {
			r.Visibility = "private"
		}
		sum.Total++
		if r.Archived {
			sum.Archived++
		} else {
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
		snap.Repositories = append(snap.Repositories, r)
		rs.add(KindRepository, r.FullName, r.FullName, req.Now, r)
	}
	slices.SortFunc(snap.Repositories, func(a, b Repository) int { return strings.Compare(a.FullName, b.FullName) })
	rs.add(KindRepositoriesSummary, "summary", "Repositories", req.Now, sum)
	return rs.result()
}
