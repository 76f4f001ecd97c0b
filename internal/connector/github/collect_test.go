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
	r := e.run(t, e.session(t))
	r.requireAllRead(t)
	w := r.w
	for _, d := range datasets {
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

	require.Equal(t, connector.CheckPass, result(t, r.checks, CheckOrgRequires2FA).Status)
	require.Equal(t, []string{"ext-contractor"}, subjectKeys(result(t, r.checks, CheckNoOutsideAdmins)))
	require.Equal(t, []string{"acme-sim/docs", "acme-sim/infra", "acme-sim/release-tools", "acme-sim/sandbox"},
		subjectKeys(result(t, r.checks, CheckReviewRequired)))
	require.Equal(t, []string{"acme-sim/docs", "acme-sim/infra", "acme-sim/sandbox"}, subjectKeys(result(t, r.checks, CheckNoForcePushDelete)))
	require.Equal(t, []string{"acme-sim/api", "acme-sim/sandbox"}, subjectKeys(result(t, r.checks, CheckAlertsResolved)))
	require.Zero(t, e.sim.RequestsWithoutAccept(), "every request sends the recommended Accept")
}

func TestADisabledRepositoryIsInventoriedButNotHeldToTheRules(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	e.sim.Edit(func(o *githubsim.Org) { o.Repos[3].Disabled = true }) // docs
	r := e.run(t, e.session(t))
	r.requireAllRead(t)
	require.Equal(t, []RepositoriesSummary{{Total: 7, Active: 5, Archived: 1, Disabled: 1, Public: 1, Private: 5, Internal: 1, RepositorySelection: "all"}},
		kind[RepositoriesSummary](t, r.w, KindRepositoriesSummary))
	require.NotContains(t, subjectKeys(result(t, r.checks, CheckReviewRequired)), "acme-sim/docs")
}

func TestTheAlertLimitIsTheCheckParameter(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	s, err := e.open(t, connector.Params{ParamMaxOpenDays: 42}, nil)
	require.NoError(t, err)
	r := e.run(t, s)
	require.Equal(t, []string{"acme-sim/api"}, subjectKeys(result(t, r.checks, CheckAlertsResolved)), "the sandbox's 40-day alert is within 42 days")
	require.Equal(t, 42, kind[DependabotSummary](t, r.w, KindDependabotSummary)[0].LimitDays)
}

func TestFreePlanRefusalIsRecordedAsNotAvailableNotAsAReadFailure(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	e.sim.SetPlan(githubsim.PlanFree)
	r := e.run(t, e.session(t))
	require.Equal(t, connector.DatasetOK, r.datasets[DatasetBranchRules].Status, r.datasets[DatasetBranchRules].Error)
	rules := rulesByRepo(kind[BranchRules](t, r.w, KindBranchRules))
	require.Equal(t, RulesNotOnPlan, rules["acme-sim/api"].Status)
	require.Equal(t, "free", rules["acme-sim/api"].Plan)
	require.Zero(t, rules["acme-sim/api"].RequiredApprovals, "nothing of what the plan refuses is assumed")
	require.Equal(t, RulesRead, rules["acme-sim/docs"].Status, "a public repository is protected on Free")
	require.Equal(t, []BranchRulesSummary{{Repositories: 6, NotAvailableOnPlan: 5}}, kind[BranchRulesSummary](t, r.w, KindBranchRulesSummary))

	res := result(t, r.checks, CheckReviewRequired)
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
	r := e.run(t, e.session(t))
	require.Equal(t, connector.DatasetOK, r.datasets[DatasetOrgSettings].Status)
	raw := r.w.records[DatasetOrgSettings][0].Payload
	require.Contains(t, string(raw), `"two_factor_required":null`)
	require.Contains(t, string(raw), `"members_can_create_public_repositories":null`)
	res := result(t, r.checks, CheckOrgRequires2FA)
	require.Equal(t, connector.CheckUnknown, res.Status)
	require.Contains(t, res.Reason, "Organization administration")
}

func TestAMissingPermissionMakesTheDatasetUnavailable(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	perms := githubsim.Permissions()
	delete(perms, "vulnerability_alerts")
	e.sim.SetPermissions(githubsim.DefaultInstallationID, perms)
	r := e.run(t, e.session(t))
	d := r.datasets[DatasetDependabotAlerts]
	require.Equal(t, connector.DatasetUnavailable, d.Status)
	require.Equal(t, connector.ErrorConfiguration, d.ErrorClass)
	require.Contains(t, d.Error, "vulnerability_alerts=read", "the permission GitHub names is reported")
	require.Equal(t, connector.CheckUnknown, result(t, r.checks, CheckAlertsResolved).Status)
	require.Equal(t, connector.DatasetOK, r.datasets[DatasetMembers].Status, "the other datasets are read")
}

func TestSelectedRepositoriesAreReportedAsPartialCoverage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	e.settings.InstallationID = e.sim.Install(githubsim.DefaultAppID, "selected", "api", "web")
	r := e.run(t, e.session(t))
	require.Len(t, kind[Repository](t, r.w, KindRepository), 2)
	require.Equal(t, "selected", kind[RepositoriesSummary](t, r.w, KindRepositoriesSummary)[0].RepositorySelection)
	res := result(t, r.checks, CheckReviewRequired)
	require.Equal(t, connector.CheckPass, res.Status)
	require.Contains(t, res.Reason, "only the repositories selected")
}

func TestUninstallMidSyncFailsEveryDatasetAsNeedsReauthorization(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	s := e.session(t)
	e.sim.Uninstall(githubsim.DefaultInstallationID)
	r := e.run(t, s)
	for _, d := range datasets {
		require.Equal(t, connector.ErrorNeedsReauth, r.datasets[d.Key].ErrorClass, d.Key)
	}
	require.Equal(t, 2, e.sim.Requests()["POST /app/installations/{id}/access_tokens"],
		"Open's token, then one refused renewal: no other dataset asks again")
}
