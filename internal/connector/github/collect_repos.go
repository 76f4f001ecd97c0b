package github

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/pgtext"
)

// repoPath is a path under /repos/{owner}/{repo} for a full name.
func repoPath(fullName, suffix string) string {
	owner, name, _ := strings.Cut(fullName, "/")
	return "/repos/" + url.PathEscape(owner) + "/" + url.PathEscape(name) + suffix
}

// permissionRank orders the repository roles, strongest first.
var permissionRank = []string{"admin", "maintain", "push", "triage", "pull"}

// strongest is a collaborator's strongest permission.
func strongest(c collaboratorWire) string {
	for _, p := range permissionRank {
		if c.Permissions[p] {
			return p
		}
	}
	return cmp.Or(c.RoleName, "none")
}

// collectOutsideCollaborators lists outside collaborators, then (when there
// are any) each repository's outside collaborators with their permission.
func collectOutsideCollaborators(ctx context.Context, s *Session) ([]connector.Record, error) {
	list, err := allPages[userWire](ctx, s.api, routeOutside, s.orgPath("/outside_collaborators?per_page=100"))
	if err != nil {
		return nil, err
	}
	access := map[int64][]RepoAccess{}
	if len(list) > 0 {
		repos, err := s.repositories(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range repos.repos {
			cols, err := allPages[collaboratorWire](ctx, s.api, routeRepoCollaborators, repoPath(r.FullName, "/collaborators?affiliation=outside&per_page=100"))
			if err != nil {
				return nil, fmt.Errorf("github: collaborators of %s: %w", r.FullName, err)
			}
			for _, c := range cols {
				access[c.ID] = append(access[c.ID], RepoAccess{Repository: r.FullName, Permission: strongest(c)})
			}
		}
	}
	var rs records
	var sum OutsideCollaboratorsSummary
	outside := []OutsideCollaborator{}
	for _, u := range list {
		o := OutsideCollaborator{Login: pgtext.Clean(u.Login), ID: u.ID, Type: u.Type, Repositories: access[u.ID], AdminOn: []string{}}
		if o.Repositories == nil {
			o.Repositories = []RepoAccess{}
		}
		slices.SortFunc(o.Repositories, func(a, b RepoAccess) int { return strings.Compare(a.Repository, b.Repository) })
		for _, a := range o.Repositories {
			if a.Permission == "admin" {
				o.AdminOn = append(o.AdminOn, a.Repository)
			}
		}
		sum.Total++
		if len(o.AdminOn) > 0 {
			sum.WithAdmin++
		}
		outside = append(outside, o)
		rs.add(KindOutsideCollaborator, o.Login, o.Login, s.now, o)
	}
	rs.add(KindOutsideCollaboratorsSummary, "summary", "Outside collaborators", s.now, sum)
	s.mu.Lock()
	s.snap.Outside = outside
	s.mu.Unlock()
	return rs.result()
}

// collectBranchRules reads the effective rules of every active
// repository's default branch.
func collectBranchRules(ctx context.Context, s *Session) ([]connector.Record, error) {
	repos, err := s.repositories(ctx)
	if err != nil {
		return nil, err
	}
	// The plan explains a refusal; without it (not visible, or the
	// settings unreadable) the refusal's own message still does.
	org, _ := s.orgSettings(ctx)
	var rs records
	var sum BranchRulesSummary
	rules := []BranchRules{}
	for _, r := range repos.repos {
		if !r.Active() {
			continue
		}
		br, err := s.branchRules(ctx, r, org.Plan)
		if err != nil {
			return nil, fmt.Errorf("github: rules of %s: %w", r.FullName, err)
		}
		sum.Repositories++
		switch {
		case br.Status == RulesNotOnPlan:
			sum.NotAvailableOnPlan++
		default:
			if br.RequiredApprovals > 0 {
				sum.RequiringReview++
			}
			if br.ForcePushBlocked {
				sum.BlockingForcePush++
			}
			if br.DeletionBlocked {
				sum.BlockingDeletion++
			}
		}
		rules = append(rules, br)
		rs.add(KindBranchRules, br.Repository, br.Repository+" @ "+br.Branch, s.now, br)
	}
	rs.add(KindBranchRulesSummary, "summary", "Default-branch rules", s.now, sum)
	s.mu.Lock()
	s.snap.Rules = rules
	s.mu.Unlock()
	return rs.result()
}

// branchRules combines a default branch's rulesets and classic protection
// (github.md section 5): approvals are the largest required; force pushes
// and deletion are blocked by a rule or by classic protection that does
// not allow them; admin enforcement is known from classic protection only.
// The Free plan's refusal is recorded as not available, not as a failure.
func (s *Session) branchRules(ctx context.Context, r Repository, plan string) (BranchRules, error) {
	br := BranchRules{Repository: r.FullName, Branch: r.DefaultBranch, Status: RulesRead, Plan: plan, Rulesets: []int64{}, RequiredStatusChecks: []string{}}
	branch := url.PathEscape(r.DefaultBranch)
	rules, err := allPages[ruleWire](ctx, s.api, routeBranchRules, repoPath(r.FullName, "/rules/branches/"+branch+"?per_page=100"))
	if notOnPlan(err, r, plan) {
		br.Status = RulesNotOnPlan
		return br, nil
	}
	if err != nil {
		return BranchRules{}, err
	}
	for _, rule := range rules {
		br.Rulesets = append(br.Rulesets, rule.RulesetID)
		switch rule.Type {
		case "pull_request":
			br.RequiredApprovals = max(br.RequiredApprovals, rule.Parameters.RequiredApprovingReviewCount)
		case "non_fast_forward":
			br.ForcePushBlocked = true
		case "deletion":
			br.DeletionBlocked = true
		case "required_status_checks":
			for _, c := range rule.Parameters.RequiredStatusChecks {
				br.RequiredStatusChecks = append(br.RequiredStatusChecks, pgtext.Clean(c.Context))
			}
		}
	}
	var p protectionWire
	_, err = s.api.getJSON(ctx, routeProtection, repoPath(r.FullName, "/branches/"+branch+"/protection"), &p)
	var ae *APIError
	switch {
	case notOnPlan(err, r, plan):
		br = BranchRules{Repository: br.Repository, Branch: br.Branch, Status: RulesNotOnPlan, Plan: plan, Rulesets: []int64{}, RequiredStatusChecks: []string{}}
		return br, nil
	case errors.As(err, &ae) && ae.Status == http.StatusNotFound:
		// "Branch not protected", or a branch that does not exist yet (an
		// empty repository): no classic protection.
	case err != nil:
		return BranchRules{}, err
	default:
		br.ClassicProtection = true
		if p.RequiredPullRequestReviews != nil {
			br.RequiredApprovals = max(br.RequiredApprovals, p.RequiredPullRequestReviews.RequiredApprovingReviewCount)
		}
		br.ForcePushBlocked = br.ForcePushBlocked || p.AllowForcePushes == nil || !p.AllowForcePushes.Enabled
		br.DeletionBlocked = br.DeletionBlocked || p.AllowDeletions == nil || !p.AllowDeletions.Enabled
		if p.EnforceAdmins != nil {
			enforced := p.EnforceAdmins.Enabled
			br.EnforceAdmins = &enforced
		}
		if p.RequiredStatusChecks != nil {
			for _, c := range p.RequiredStatusChecks.Contexts {
				br.RequiredStatusChecks = append(br.RequiredStatusChecks, pgtext.Clean(c))
			}
		}
	}
	slices.Sort(br.Rulesets)
	br.Rulesets = slices.Compact(br.Rulesets)
	slices.Sort(br.RequiredStatusChecks)
	br.RequiredStatusChecks = slices.Compact(br.RequiredStatusChecks)
	return br, nil
}

// notOnPlan reports the plan's refusal to protect r: the documented 403
// "Upgrade to GitHub Pro…", or the 403 "Resource not accessible by
// integration" Apps have also seen for a private repository on the Free
// plan.
func notOnPlan(err error, r Repository, plan string) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	return ae.PlanLimited() || (ae.Status == http.StatusForbidden && strings.Contains(ae.Message, msgNotAccessible) &&
		plan == "free" && r.Visibility != "public")
}
