package github

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/githubsim"
)

func TestCollectReadsTheDemoOrganizationAndEvaluatesTheFiveChecks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	s := e.session(t)
	require.NoError(t, s.Authenticate(t.Context()))
	snap, w := e.collect(t, s)
	for _, d := range datasets {
		require.Equal(t, connector.DatasetOK, snap.Results[d.Key].Status, "%s: %s", d.Key, snap.Results[d.Key].Error)
		require.True(t, w.finished[d.Key], d.Key)
	}

	org := kind[OrgSettings](t, w, KindOrgSettings)
	require.Len(t, org, 1)
	require.Equal(t, "team", org[0].Plan)
	require.NotNil(t, org[0].TwoFactorRequired)
	require.True(t, *org[0].TwoFactorRequired)

	members := kind[Member](t, w, KindMember)
	require.Len(t, members, 6)
	require.Contains(t, members, Member{Login: "acme-ci[bot]", ID: 1006, Type: "Bot", Role: "member"})
	require.Contains(t, members, Member{Login: "octo-owner", ID: 1001, Type: "User", Role: "admin"})
	require.Equal(t, []MembersSummary{{Total: 6, Owners: 2, Bots: 1}}, kind[MembersSummary](t, w, KindMembersSummary))

	outside := kind[OutsideCollaborator](t, w, KindOutsideCollaborator)
	require.Contains(t, outside, OutsideCollaborator{Login: "ext-contractor", ID: 9001, Type: "User",
		Repositories: []RepoAccess{{Repository: "acme-sim/infra", Permission: "admin"}}, AdminOn: []string{"acme-sim/infra"}})

	require.Equal(t, []RepositoriesSummary{{Total: 7, Active: 6, Archived: 1, Public: 1, Private: 5, Internal: 1, RepositorySelection: "all"}},
		kind[RepositoriesSummary](t, w, KindRepositoriesSummary))
	rules := rulesByRepo(kind[BranchRules](t, w, KindBranchRules))
	require.Len(t, rules, 6, "archived repositories are not held to the rules")
	require.Equal(t, 2, rules["acme-sim/web"].RequiredApprovals, "an organization ruleset")
	require.Equal(t, "release/v2", rules["acme-sim/release-tools"].Branch, "a branch with a slash is escaped")
	require.True(t, rules["acme-sim/release-tools"].ForcePushBlocked)
	require.True(t, *rules["acme-sim/api"].EnforceAdmins)
	require.Nil(t, rules["acme-sim/web"].EnforceAdmins, "who bypasses a ruleset is not visible")

	alerts := kind[DependabotAlert](t, w, KindDependabotAlert)
	require.Len(t, alerts, 4, "open alerts only")
	require.Equal(t, []DependabotSummary{{Open: 4, Critical: 2, High: 1, Medium: 1, CriticalOrHighOverLimit: 2, LimitDays: 30}},
		kind[DependabotSummary](t, w, KindDependabotSummary))

	results := Evaluate(snap, nil, e.clock.Now())
	require.Equal(t, connector.CheckPass, result(t, results, CheckOrgRequires2FA).Status)
	require.Equal(t, []string{"ext-contractor"}, subjectKeys(result(t, results, CheckNoOutsideAdmins)))
	require.Equal(t, []string{"acme-sim/docs", "acme-sim/infra", "acme-sim/release-tools", "acme-sim/sandbox"},
		subjectKeys(result(t, results, CheckReviewRequired)))
	require.Equal(t, []string{"acme-sim/docs", "acme-sim/infra", "acme-sim/sandbox"}, subjectKeys(result(t, results, CheckNoForcePushDelete)))
	require.Equal(t, []string{"acme-sim/api", "acme-sim/sandbox"}, subjectKeys(result(t, results, CheckAlertsResolved)))
}

func TestFreePlanRefusalIsRecordedAsNotAvailableNotAsAReadFailure(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	e.sim.SetPlan(githubsim.PlanFree)
	s := e.session(t)
	snap, w := e.collect(t, s)
	require.Equal(t, connector.DatasetOK, snap.Results[DatasetBranchRules].Status, snap.Results[DatasetBranchRules].Error)
	rules := rulesByRepo(kind[BranchRules](t, w, KindBranchRules))
	require.Equal(t, RulesNotOnPlan, rules["acme-sim/api"].Status)
	require.Equal(t, "free", rules["acme-sim/api"].Plan)
	require.Zero(t, rules["acme-sim/api"].RequiredApprovals, "nothing of what the plan refuses is assumed")
	require.Equal(t, RulesRead, rules["acme-sim/docs"].Status, "a public repository is protected on Free")
	require.Equal(t, []BranchRulesSummary{{Repositories: 6, NotAvailableOnPlan: 5}}, kind[BranchRulesSummary](t, w, KindBranchRulesSummary))

	res := result(t, Evaluate(snap, nil, e.clock.Now()), CheckReviewRequired)
	require.Equal(t, connector.CheckFail, res.Status)
	require.Len(t, res.Failing, 6)
	require.Equal(t, "main: branch protection is not available on this plan (free) for a private repository", res.Failing[0].Detail)
}

func TestInvisibleOrganizationSettingsAreUnknownNotFalse(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	perms := githubsim.Permissions()
	delete(perms, "organization_administration")
	delete(perms, "organization_plan")
	e.sim.SetPermissions(githubsim.DefaultInstallationID, perms)
	snap, w := e.collect(t, e.session(t))
	require.Equal(t, connector.DatasetOK, snap.Results[DatasetOrgSettings].Status)
	raw := w.records[DatasetOrgSettings][0].Payload
	require.Contains(t, string(raw), `"two_factor_required":null`)
	require.Contains(t, string(raw), `"members_can_create_public_repositories":null`)
	res := result(t, Evaluate(snap, nil, e.clock.Now()), CheckOrgRequires2FA)
	require.Equal(t, connector.CheckUnknown, res.Status)
	require.Contains(t, res.Reason, "Organization administration")
}

func TestAMissingPermissionMakesItsChecksUnknown(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	perms := githubsim.Permissions()
	delete(perms, "vulnerability_alerts")
	e.sim.SetPermissions(githubsim.DefaultInstallationID, perms)
	snap, _ := e.collect(t, e.session(t))
	r := snap.Results[DatasetDependabotAlerts]
	require.Equal(t, connector.DatasetUnavailable, r.Status)
	require.Equal(t, connector.ErrorConfiguration, r.ErrorClass)
	require.Contains(t, r.Error, "vulnerability_alerts=read", "the permission GitHub names is reported")
	res := result(t, Evaluate(snap, nil, e.clock.Now()), CheckAlertsResolved)
	require.Equal(t, connector.CheckUnknown, res.Status)
}

func TestSelectedRepositoriesAreReportedAsPartialCoverage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	e.settings.InstallationID = e.sim.Install(githubsim.DefaultAppID, "selected", "api", "web")
	snap, w := e.collect(t, e.session(t))
	require.Equal(t, "selected", snap.RepositorySelection)
	require.Len(t, kind[Repository](t, w, KindRepository), 2)
	res := result(t, Evaluate(snap, nil, e.clock.Now()), CheckReviewRequired)
	require.Equal(t, connector.CheckPass, res.Status)
	require.Contains(t, res.Reason, "only the repositories selected")
}

func TestUninstallMidSyncStopsTheSyncAsNeedsReauthorization(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	s := e.session(t)
	require.NoError(t, s.Authenticate(t.Context()))
	e.sim.Uninstall(githubsim.DefaultInstallationID)
	snap, _ := e.collect(t, s)
	for _, d := range datasets {
		require.Equal(t, connector.ErrorNeedsReauth, snap.Results[d.Key].ErrorClass, d.Key)
	}
	require.Equal(t, 1, e.sim.Requests()["GET /orgs/{org}"], "after the refusal nothing more is asked")
}
