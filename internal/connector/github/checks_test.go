package github

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector"
)

func TestCheckTwoFactor(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	for _, tc := range []struct {
		name   string
		org    *OrgSettings
		status connector.CheckStatus
	}{
		{"not read", nil, connector.CheckUnknown},
		{"not visible to the App", &OrgSettings{Login: "o"}, connector.CheckUnknown},
		{"required", &OrgSettings{Login: "o", TwoFactorRequired: &yes}, connector.CheckPass},
		{"not required", &OrgSettings{Login: "o", TwoFactorRequired: &no}, connector.CheckFail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := CheckTwoFactor(tc.org)
			require.Equal(t, tc.status, res.Status)
			if tc.status == connector.CheckFail {
				require.Equal(t, []string{"o"}, subjectKeys(res))
			}
		})
	}
}

func TestCheckOutsideAdmins(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		outside []OutsideCollaborator
		failing []string
	}{
		{"none", nil, nil},
		{"readers only", []OutsideCollaborator{{Login: "r", AdminOn: []string{}}}, nil},
		{"an admin and a bot admin", []OutsideCollaborator{{Login: "r"}, {Login: "deploy[bot]", AdminOn: []string{"o/a"}}, {Login: "x", AdminOn: []string{"o/b", "o/c"}}},
			[]string{"deploy[bot]", "x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := CheckOutsideAdmins(tc.outside)
			require.Equal(t, tc.failing, subjectKeys(res))
			if tc.failing == nil {
				require.Equal(t, connector.CheckPass, res.Status)
			} else {
				require.Equal(t, connector.CheckFail, res.Status)
				require.Equal(t, "admin on o/b, o/c", res.Failing[1].Detail)
			}
		})
	}
}

func TestCheckBranchRules(t *testing.T) {
	t.Parallel()
	repos := []Repository{
		{FullName: "o/reviewed", DefaultBranch: "main", Visibility: "private"},
		{FullName: "o/open", DefaultBranch: "main", Visibility: "private"},
		{FullName: "o/free", DefaultBranch: "main", Visibility: "private"},
		{FullName: "o/unread", DefaultBranch: "main", Visibility: "private"},
		{FullName: "o/archived", DefaultBranch: "main", Archived: true},
		{FullName: "o/disabled", DefaultBranch: "main", Disabled: true},
	}
	rules := []BranchRules{
		{Repository: "o/reviewed", Status: RulesRead, RequiredApprovals: 1, ForcePushBlocked: true, DeletionBlocked: true},
		{Repository: "o/open", Status: RulesRead, ForcePushBlocked: true},
		{Repository: "o/free", Status: RulesNotOnPlan, Plan: "free"},
	}
	reviews := CheckReviews(repos, rules, "all")
	require.Equal(t, connector.CheckFail, reviews.Status)
	require.Equal(t, 4, reviews.Total, "archived and disabled repositories are not counted")
	require.Equal(t, []string{"o/free", "o/open", "o/unread"}, subjectKeys(reviews))
	require.Equal(t, "main: branch protection is not available on this plan (free) for a private repository", reviews.Failing[0].Detail)
	require.Equal(t, "main: no approving review required", reviews.Failing[1].Detail)
	require.Equal(t, "main: rules not read", reviews.Failing[2].Detail)

	force := CheckForcePushAndDeletion(repos, rules, "all")
	require.Equal(t, []string{"o/free", "o/open", "o/unread"}, subjectKeys(force))
	require.Equal(t, "main: deletion allowed", force.Failing[1].Detail)

	pass := CheckReviews(repos[:1], rules, "selected")
	require.Equal(t, connector.CheckPass, pass.Status)
	require.Contains(t, pass.Reason, "selected at installation")
}

func TestCheckAlerts(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	opened := func(days int) string { return now.AddDate(0, 0, -days).Format(time.RFC3339) }
	alerts := []DependabotAlert{
		{Repository: "o/a", Number: 1, Severity: "high", Package: "p1", OpenedAt: opened(31)},
		{Repository: "o/a", Number: 2, Severity: "critical", Package: "p2", OpenedAt: opened(90)},
		{Repository: "o/b", Number: 1, Severity: "high", Package: "p3", OpenedAt: opened(30)},
		{Repository: "o/c", Number: 1, Severity: "medium", Package: "p4", OpenedAt: opened(400)},
		{Repository: "o/d", Number: 1, Severity: "critical", Package: "p5", OpenedAt: opened(1)},
	}
	for _, tc := range []struct {
		days    int
		failing []string
	}{{30, []string{"o/a"}}, {29, []string{"o/a", "o/b"}}, {90, nil}, {365, nil}} {
		res := CheckAlerts(alerts, tc.days, now)
		require.Equal(t, tc.failing, subjectKeys(res), "limit %d days", tc.days)
		require.Equal(t, len(alerts), res.Total)
	}
	res := CheckAlerts(alerts, 30, now)
	require.Equal(t, "#1 high p1 open since 2026-11-03; #2 critical p2 open since 2026-09-05", res.Failing[0].Detail,
		"dates, not ages: the detail does not change every day")
	require.Equal(t, CheckAlerts(alerts[:2], 30, now), CheckAlerts(alerts[:2], 30, now.Add(20*time.Hour)))
}

func TestTheAlertCheckDeclaresItsParameter(t *testing.T) {
	t.Parallel()
	var found []connector.Param
	for _, c := range (&Connector{}).Checks() {
		found = append(found, c.Params...)
	}
	require.Equal(t, []connector.Param{paramMaxOpenDays}, found)
	require.Equal(t, 30, connector.Params{}.Get(paramMaxOpenDays))
	require.Equal(t, 7, connector.Params{ParamMaxOpenDays: 7}.Get(paramMaxOpenDays))
}
