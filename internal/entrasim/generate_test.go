package entrasim_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/entrasim"
)

func specOf(users int) entrasim.TenantSpec {
	spec := entrasim.DefaultTenant(testRedirect)
	spec.Size = entrasim.Size{Users: users}
	return spec
}

func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	a := entrasim.Generate(42, specOf(2000))
	b := entrasim.Generate(42, specOf(2000))
	require.Equal(t, a, b)
	c := entrasim.Generate(43, specOf(2000))
	require.NotEqual(t, a.Users[0].ID, c.Users[0].ID)

	other := specOf(2000)
	other.ID = "1d7c9e3a-2b4f-4a68-8c90-5e1f3a7b9d24"
	require.NotEqual(t, a.Users[0].ID, entrasim.Generate(42, other).Users[0].ID)

	at := time.Date(2027, time.May, 1, 12, 0, 0, 0, time.UTC)
	delta := at.Sub(b.AsOf)
	b.Rebase(at)
	require.Equal(t, at, b.AsOf)
	require.Equal(t, a.Users[0].CreatedDateTime.Add(delta), b.Users[0].CreatedDateTime)
	require.Equal(t, a.SignIns[0].CreatedDateTime.Add(delta), b.SignIns[0].CreatedDateTime)
}

// within asserts that n/total is frac give or take tol.
func within(t *testing.T, what string, n, total int, frac, tol float64) {
	t.Helper()
	got := float64(n) / float64(total)
	require.InDelta(t, frac, got, tol, "%s: %d of %d", what, n, total)
}

func TestGenerateMix(t *testing.T) {
	t.Parallel()
	const n = 10000
	d := entrasim.Generate(7, specOf(n))
	require.Len(t, d.Users, n)
	asOf := d.AsOf

	var guests, disabled, never, inactive, recent, enabledMembers int
	ids, upns := map[string]bool{}, map[string]bool{}
	enabled := map[string]entrasim.User{}
	for _, u := range d.Users {
		require.False(t, ids[u.ID])
		require.False(t, upns[u.UserPrincipalName])
		ids[u.ID], upns[u.UserPrincipalName] = true, true
		require.True(t, strings.HasSuffix(u.UserPrincipalName, "@"+entrasim.DefaultTenantDomain), u.UserPrincipalName)
		if u.UserType == "Guest" {
			guests++
			require.Contains(t, u.UserPrincipalName, "#EXT#@")
			require.Nil(t, u.Mail)
		} else {
			require.Equal(t, "Member", u.UserType)
			require.NotNil(t, u.Mail)
		}
		if !u.AccountEnabled {
			disabled++
		} else {
			enabled[u.ID] = u
			if u.UserType == "Member" {
				enabledMembers++
			}
		}
		switch a := u.SignInActivity; {
		case a == nil:
			never++
		case asOf.Sub(*a.LastSignInDateTime) > 90*24*time.Hour:
			inactive++
		case asOf.Sub(*a.LastSignInDateTime) <= 30*24*time.Hour:
			recent++
		}
	}
	within(t, "guests", guests, n, 0.05, 0.015)
	within(t, "disabled", disabled, n, 0.04, 0.015)
	within(t, "never signed in", never, n, 0.03, 0.01)
	within(t, "inactive over 90 days", inactive, n, 0.06, 0.015)
	require.Equal(t, n, never+inactive+recent, "everyone else signed in within 30 days")

	require.Len(t, d.Registrations, len(enabled))
	var admins, adminsNoMFA, memberMFA int
	for _, r := range d.Registrations {
		u, ok := enabled[r.ID]
		require.True(t, ok, "registration details exist for enabled users only")
		require.Equal(t, strings.ToLower(u.UserType), r.UserType)
		if r.IsAdmin {
			admins++
			if !r.IsMfaRegistered {
				adminsNoMFA++
			}
		}
		if r.UserType == "member" && r.IsMfaRegistered {
			memberMFA++
			require.NotEmpty(t, r.MethodsRegistered)
		}
	}
	within(t, "admins", admins, n, 0.03, 0.01)
	require.NotZero(t, adminsNoMFA)
	within(t, "MFA-registered enabled members", memberMFA, enabledMembers, 0.85, 0.03)
	admin := slices.IndexFunc(d.Users, func(u entrasim.User) bool { return u.ID == d.AdminID })
	require.GreaterOrEqual(t, admin, 0)
	require.True(t, d.Users[admin].AccountEnabled)

	require.Len(t, d.Policies, 40)
	states := map[string]int{}
	enabledMFA := false
	for _, p := range d.Policies {
		states[p.State]++
		if p.State == "enabled" && p.GrantControls != nil && slices.Contains(p.GrantControls.BuiltInControls, "mfa") {
			enabledMFA = true
		}
	}
	require.True(t, enabledMFA)
	require.NotZero(t, states["enabled"])
	require.NotZero(t, states["disabled"])
	require.NotZero(t, states["enabledForReportingButNotEnforced"])

	require.Len(t, d.RiskyUsers, n/100)
	levels, riskStates := map[string]bool{}, map[string]bool{}
	staleHigh := false
	for _, r := range d.RiskyUsers {
		levels[r.RiskLevel], riskStates[r.RiskState] = true, true
		age := asOf.Sub(r.RiskLastUpdatedDateTime)
		require.True(t, age >= 0 && age <= 30*24*time.Hour)
		staleHigh = staleHigh || (r.RiskLevel == "high" && r.RiskState == "atRisk" && age > 7*24*time.Hour)
	}
	require.Equal(t, map[string]bool{"low": true, "medium": true, "high": true}, levels)
	require.Equal(t, map[string]bool{"atRisk": true, "remediated": true, "dismissed": true}, riskStates)
	require.True(t, staleHigh)

	var risky int
	for _, s := range d.SignIns {
		age := asOf.Sub(s.CreatedDateTime)
		require.True(t, age >= 0 && age <= 30*24*time.Hour)
		if s.RiskState == "atRisk" {
			risky++
			require.Contains(t, []string{"low", "medium", "high"}, s.RiskLevelDuringSignIn)
		} else {
			require.Equal(t, "none", s.RiskLevelDuringSignIn)
		}
	}
	require.Equal(t, n/10, risky)
	require.Len(t, d.SignIns, 2*(n/10))
}

func TestGenerateLarge(t *testing.T) {
	t.Parallel()
	start := time.Now()
	d := entrasim.Generate(1, specOf(50000))
	t.Logf("generated 50,000 users in %s", time.Since(start))
	require.Len(t, d.Users, 50000)
	require.Len(t, d.Policies, 200)
	require.Len(t, d.RiskyUsers, 500)
	require.Len(t, d.SignIns, 10000)
	require.Greater(t, len(d.Registrations), 45000)
}

func BenchmarkGenerate50k(b *testing.B) {
	spec := specOf(50000)
	b.ReportAllocs()
	for b.Loop() {
		entrasim.Generate(1, spec)
	}
}
