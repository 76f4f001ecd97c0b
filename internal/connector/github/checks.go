package github

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/attesthq/attest/internal/connector"
)

// Evaluate runs one check on what the session read. The platform calls it
// only when every dataset the check reads was read this sync: a read error
// is never a pass. Failing subjects are keyed so that exclusions work as for
// Entra: a repository by its full name (a sandbox), an account by its login
// (a bot). Details state dates, never a count of days, so they change only
// when the subject does.
func (s *Session) Evaluate(chk connector.Check) connector.CheckResult {
	s.mu.Lock()
	snap := s.snap
	s.mu.Unlock()
	switch chk.Key {
	case CheckOrgRequires2FA:
		return CheckTwoFactor(snap.Org)
	case CheckNoOutsideAdmins:
		return CheckOutsideAdmins(snap.Outside)
	case CheckReviewRequired:
		return CheckReviews(snap.Repositories, snap.Rules, snap.RepositorySelection)
	case CheckNoForcePushDelete:
		return CheckForcePushAndDeletion(snap.Repositories, snap.Rules, snap.RepositorySelection)
	case CheckAlertsResolved:
		return CheckAlerts(snap.Alerts, s.params.Get(paramMaxOpenDays), s.now)
	}
	return connector.CheckResult{Status: connector.CheckUnknown, Reason: "attest does not know this check."}
}

// verdict turns failing subjects into a result.
func verdict(total int, failing []connector.Subject, pass, fail string) connector.CheckResult {
	slices.SortFunc(failing, func(a, b connector.Subject) int { return strings.Compare(a.Key, b.Key) })
	if len(failing) == 0 {
		return connector.CheckResult{Status: connector.CheckPass, Total: total, Reason: pass}
	}
	return connector.CheckResult{Status: connector.CheckFail, Total: total, Failing: failing, Reason: fmt.Sprintf(fail, len(failing), total)}
}

// CheckTwoFactor passes when the organization requires 2FA; a setting
// GitHub did not show is unknown, never a pass or a fail.
func CheckTwoFactor(org *OrgSettings) connector.CheckResult {
	switch {
	case org == nil:
		return connector.CheckResult{Status: connector.CheckUnknown, Reason: "The organization's settings were not read."}
	case org.TwoFactorRequired == nil:
		return connector.CheckResult{Status: connector.CheckUnknown, Total: 1,
			Reason: "GitHub does not show the App whether 2FA is required (it needs the Organization administration: read permission)."}
	case *org.TwoFactorRequired:
		return connector.CheckResult{Status: connector.CheckPass, Total: 1, Reason: "The organization " + org.Login + " requires two-factor authentication."}
	}
	return connector.CheckResult{Status: connector.CheckFail, Total: 1, Reason: "The organization " + org.Login + " does not require two-factor authentication.",
		Failing: []connector.Subject{{Key: org.Login, Label: org.Login, Detail: "two-factor authentication not required"}}}
}

// CheckOutsideAdmins fails every outside collaborator holding admin on a
// repository.
func CheckOutsideAdmins(outside []OutsideCollaborator) connector.CheckResult {
	var failing []connector.Subject
	for _, o := range outside {
		if len(o.AdminOn) > 0 {
			failing = append(failing, connector.Subject{Key: o.Login, Label: o.Login, Detail: "admin on " + strings.Join(o.AdminOn, ", ")})
		}
	}
	return verdict(len(outside), failing, fmt.Sprintf("None of the %d outside collaborators has admin access.", len(outside)),
		"%d of %d outside collaborators have admin access.")
}

// rulesByRepo indexes branch rules by repository.
func rulesByRepo(rules []BranchRules) map[string]BranchRules {
	out := make(map[string]BranchRules, len(rules))
	for _, r := range rules {
		out[r.Repository] = r
	}
	return out
}

// perActiveRepo fails each active repository whose rules fail ok (or were
// not read, or are not available on the plan), with the detail fail gives.
func perActiveRepo(repos []Repository, rules []BranchRules, selection string, ok func(BranchRules) bool, fail func(BranchRules) string,
	pass, failing string) connector.CheckResult {
	by := rulesByRepo(rules)
	var subjects []connector.Subject
	total := 0
	for _, r := range repos {
		if !r.Active() {
			continue
		}
		total++
		br, read := by[r.FullName]
		detail := ""
		switch {
		case !read:
			detail = "rules not read"
		case br.Status == RulesNotOnPlan:
			detail = "branch protection is not available on this plan" + planSuffix(br.Plan) + " for a " + r.Visibility + " repository"
		case !ok(br):
			detail = fail(br)
		}
		if detail != "" {
			subjects = append(subjects, connector.Subject{Key: r.FullName, Label: r.FullName, Detail: r.DefaultBranch + ": " + detail})
		}
	}
	res := verdict(total, subjects, fmt.Sprintf(pass, total), failing)
	if selection == "selected" {
		res.Reason += " The App sees only the repositories selected at installation."
	}
	return res
}

func planSuffix(plan string) string {
	if plan == "" {
		return ""
	}
	return " (" + plan + ")"
}

// CheckReviews fails each active repository whose default branch does not
// require at least one approving review.
func CheckReviews(repos []Repository, rules []BranchRules, selection string) connector.CheckResult {
	return perActiveRepo(repos, rules, selection,
		func(br BranchRules) bool { return br.RequiredApprovals >= 1 },
		func(BranchRules) string { return "no approving review required" },
		"The default branch of all %d active repositories requires an approving review.",
		"%d of %d active repositories accept changes to the default branch without an approving review.")
}

// CheckForcePushAndDeletion fails each active repository whose default
// branch can be force-pushed or deleted.
func CheckForcePushAndDeletion(repos []Repository, rules []BranchRules, selection string) connector.CheckResult {
	return perActiveRepo(repos, rules, selection,
		func(br BranchRules) bool { return br.ForcePushBlocked && br.DeletionBlocked },
		func(br BranchRules) string {
			var open []string
			if !br.ForcePushBlocked {
				open = append(open, "force pushes allowed")
			}
			if !br.DeletionBlocked {
				open = append(open, "deletion allowed")
			}
			return strings.Join(open, ", ")
		},
		"The default branch of all %d active repositories refuses force pushes and deletion.",
		"%d of %d active repositories allow force pushes or deletion of the default branch.")
}

// CheckAlerts fails each repository with a critical or high alert open
// longer than maxDays.
func CheckAlerts(alerts []DependabotAlert, maxDays int, now time.Time) connector.CheckResult {
	byRepo := map[string][]string{}
	for _, a := range alerts {
		if overLimit(a, maxDays, now) {
			byRepo[a.Repository] = append(byRepo[a.Repository],
				fmt.Sprintf("#%d %s %s open since %s", a.Number, a.Severity, a.Package, a.OpenedAt[:len(time.DateOnly)]))
		}
	}
	var failing []connector.Subject
	for repo, list := range byRepo {
		slices.Sort(list)
		failing = append(failing, connector.Subject{Key: repo, Label: repo, Detail: strings.Join(list, "; ")})
	}
	res := verdict(len(alerts), failing, fmt.Sprintf("No critical or high alert has been open longer than %d days.", maxDays),
		"Repositories with a critical or high alert open longer than "+fmt.Sprint(maxDays)+" days: %d (of %d open alerts).")
	return res
}
