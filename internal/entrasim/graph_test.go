package entrasim_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/entrasim"
)

// keysOf returns the property names of a JSON object.
func keysOf(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(raw, &m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func TestUsersSelect(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	tok := b.login(t).AccessToken

	p := b.getPage(t, tok, b.graphURL("/users?$select=id,DisplayName"))
	require.True(t, strings.HasSuffix(p.Context, "/v1.0/$metadata#users(id,displayName)"), p.Context)
	for _, raw := range p.Value {
		require.Equal(t, []string{"displayName", "id"}, keysOf(t, raw))
	}

	p = b.getPage(t, tok, b.graphURL("/users"))
	require.Len(t, p.Value, 100)
	require.Equal(t, []string{"businessPhones", "displayName", "givenName", "id", "jobTitle", "mail", "mobilePhone",
		"officeLocation", "preferredLanguage", "surname", "userPrincipalName"}, keysOf(t, p.Value[0]))

	never := map[string]bool{}
	for _, u := range b.tenant.Users() {
		if u.SignInActivity == nil {
			never[u.ID] = true
		}
	}
	require.NotEmpty(t, never)
	items, _ := b.getAll(t, tok, b.graphURL("/users?$select=id,accountEnabled,userType,signInActivity&$top=999"))
	require.Len(t, items, entrasim.DefaultUsers)
	for _, raw := range items {
		var u entrasim.User
		require.NoError(t, json.Unmarshal(raw, &u))
		require.Equal(t, never[u.ID], u.SignInActivity == nil, u.ID)
		if !never[u.ID] {
			require.NotNil(t, u.SignInActivity.LastSuccessfulSignInDateTime)
		}
	}

	resp, body := b.get(t, tok, b.graphURL("/users?$select=id,favouriteColour"))
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	e := decodeGraphErr(t, body)
	require.Equal(t, "Request_BadRequest", e.Error.Code)
	require.Contains(t, e.Error.Message, "favouriteColour")
}

func TestPageSizes(t *testing.T) {
	t.Parallel()
	spec := entrasim.DefaultTenant(testRedirect)
	spec.Size = entrasim.Size{Users: 1200, RiskyUsers: 30, RiskySignIns: 700}
	b := setup(t, entrasim.Options{Tenants: []entrasim.TenantSpec{spec}})
	tok := b.login(t).AccessToken

	require.Len(t, b.getPage(t, tok, b.graphURL("/users?$top=999")).Value, 999)
	require.Len(t, b.getPage(t, tok, b.graphURL("/users?$top=999&$select=id,signInActivity")).Value, 500)
	require.Len(t, b.getPage(t, tok, b.graphURL("/reports/authenticationMethods/userRegistrationDetails")).Value, 500)
	require.Len(t, b.getPage(t, tok, b.graphURL("/identityProtection/riskyUsers")).Value, 20)
	require.Len(t, b.getPage(t, tok, b.graphURL("/auditLogs/signIns")).Value, 1000)
	require.Len(t, b.getPage(t, tok, b.graphURL("/identity/conditionalAccess/policies")).Value, 6)

	for _, path := range []string{"/users?$top=1000", "/users?$top=0", "/users?$top=ten", "/identityProtection/riskyUsers?$top=501",
		"/auditLogs/signIns?$top=1001", "/reports/authenticationMethods/userRegistrationDetails?$top=10",
		"/users?$orderby=displayName", "/users?$top=5&$top=6"} {
		resp, body := b.get(t, tok, b.graphURL(path))
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, path)
		require.NotEmpty(t, decodeGraphErr(t, body).Error.Code, path)
	}

	// Every dataset pages to the end with each item exactly once.
	regs, _ := b.getAll(t, tok, b.graphURL("/reports/authenticationMethods/userRegistrationDetails"))
	require.Len(t, regs, len(b.tenant.RegistrationDetails()))
	risky, pages := b.getAll(t, tok, b.graphURL("/identityProtection/riskyUsers"))
	require.Len(t, risky, 30)
	require.Equal(t, 2, pages)
	signIns, _ := b.getAll(t, tok, b.graphURL("/auditLogs/signIns"))
	require.Len(t, signIns, 1400)
	var prev time.Time
	for i, raw := range signIns {
		var s entrasim.SignIn
		require.NoError(t, json.Unmarshal(raw, &s))
		if i > 0 {
			require.False(t, s.CreatedDateTime.After(prev), "sign-ins must be newest first")
		}
		prev = s.CreatedDateTime
	}
}

func TestCount(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	tok := b.login(t).AccessToken
	resp, body := b.get(t, tok, b.graphURL("/users?$count=true"))
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Equal(t, "$count is not currently supported.", decodeGraphErr(t, body).Error.Message)

	req, err := http.NewRequest(http.MethodGet, b.graphURL("/users?$count=true&$top=200"), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("ConsistencyLevel", "eventual")
	resp, err = b.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var p graphPage
	require.NoError(t, decodeJSON(resp, &p))
	require.NotNil(t, p.Count)
	require.Equal(t, entrasim.DefaultUsers, *p.Count)
	// ConsistencyLevel is not carried over: every page must send it again.
	resp, _ = b.get(t, tok, p.NextLink)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	req, err = http.NewRequest(http.MethodGet, p.NextLink, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("ConsistencyLevel", "eventual")
	resp, err = b.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var next graphPage
	require.NoError(t, decodeJSON(resp, &next))
	require.Nil(t, next.Count)
	require.Len(t, next.Value, entrasim.DefaultUsers-200)

	policies := b.getPage(t, tok, b.graphURL("/identity/conditionalAccess/policies?$count=true"))
	require.Equal(t, len(b.tenant.Policies()), *policies.Count)
}

func TestFilter(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	tok := b.login(t).AccessToken
	q := func(path, filter string) string { return b.graphURL(path + "?$filter=" + url.QueryEscape(filter)) }

	var atRisk, high, disabled int
	since := b.clock.Now().Add(-7 * 24 * time.Hour)
	for _, s := range b.tenant.SignIns() {
		if s.RiskState == "atRisk" {
			atRisk++
			if s.RiskLevelDuringSignIn == "high" && !s.CreatedDateTime.Before(since) {
				high++
			}
		}
	}
	for _, u := range b.tenant.Users() {
		if !u.AccountEnabled {
			disabled++
		}
	}
	require.NotZero(t, atRisk)
	require.NotZero(t, disabled)

	items, _ := b.getAll(t, tok, q("/auditLogs/signIns", "riskState eq 'atRisk'"))
	require.Len(t, items, atRisk)
	items, _ = b.getAll(t, tok, q("/auditLogs/signIns",
		"(riskState eq 'atRisk') and riskLevelDuringSignIn eq 'high' and createdDateTime ge "+since.Format(time.RFC3339)))
	require.Len(t, items, high)
	items, _ = b.getAll(t, tok, q("/users", "accountEnabled eq false"))
	require.Len(t, items, disabled)

	for _, bad := range []struct{ path, filter, code string }{
		{"/users", "displayName eq 'Adele Vance'", "Request_UnsupportedQuery"},
		{"/users", "accountEnabled eq 'yes'", "Request_UnsupportedQuery"},
		{"/auditLogs/signIns", "riskState eq 'atRisk' or riskState eq 'dismissed'", "BadRequest"},
		{"/auditLogs/signIns", "riskState eq 'sortOfRisky'", "BadRequest"},
		{"/auditLogs/signIns", "createdDateTime ge '2026-01-01T00:00:00Z'", "BadRequest"},
		{"/auditLogs/signIns", "riskLevelDuringSignIn gt 'low'", "BadRequest"},
		{"/auditLogs/signIns", "riskState eq 'atRisk", "BadRequest"},
		{"/auditLogs/signIns", "(riskState eq 'atRisk'", "BadRequest"},
	} {
		resp, body := b.get(t, tok, q(bad.path, bad.filter))
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, bad.filter)
		require.Equal(t, bad.code, decodeGraphErr(t, body).Error.Code, bad.filter)
	}
}

func TestLicences(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	tok := b.login(t).AccessToken
	expect := func(path string, status int, code string) {
		t.Helper()
		resp, body := b.get(t, tok, b.graphURL(path))
		require.Equal(t, status, resp.StatusCode, "%s: %s", path, body)
		if code != "" {
			require.Equal(t, code, decodeGraphErr(t, body).Error.Code, path)
		}
	}
	const nonPremium = "Authentication_RequestFromNonPremiumTenantOrB2CTenant"

	b.tenant.SetLicence(entrasim.LicenceFree)
	expect("/users", http.StatusOK, "")
	expect("/users?$select=id,signInActivity", http.StatusForbidden, nonPremium)
	expect("/reports/authenticationMethods/userRegistrationDetails", http.StatusForbidden, nonPremium)
	expect("/auditLogs/signIns", http.StatusForbidden, nonPremium)
	expect("/identity/conditionalAccess/policies", http.StatusForbidden, "Forbidden")
	expect("/identityProtection/riskyUsers", http.StatusForbidden, "Forbidden")
	_, body := b.get(t, tok, b.graphURL("/identityProtection/riskyUsers"))
	require.Equal(t, "Your tenant is not licensed for this feature.", decodeGraphErr(t, body).Error.Message)

	b.tenant.SetLicence(entrasim.LicenceP1)
	expect("/users?$select=id,signInActivity", http.StatusOK, "")
	expect("/reports/authenticationMethods/userRegistrationDetails", http.StatusOK, "")
	expect("/identity/conditionalAccess/policies", http.StatusOK, "")
	expect("/identityProtection/riskyUsers", http.StatusForbidden, "Forbidden")
	items, _ := b.getAll(t, tok, b.graphURL("/auditLogs/signIns"))
	require.NotEmpty(t, items)
	for _, raw := range items {
		var s entrasim.SignIn
		require.NoError(t, json.Unmarshal(raw, &s))
		require.Equal(t, "hidden", s.RiskLevelDuringSignIn)
		require.Equal(t, "hidden", s.RiskLevelAggregated)
		require.NotEqual(t, "atRisk", s.RiskState)
	}
	require.Empty(t, b.getPage(t, tok, b.graphURL("/auditLogs/signIns?$filter="+url.QueryEscape("riskState eq 'atRisk'"))).Value)

	b.tenant.SetLicence(entrasim.LicenceP2)
	expect("/identityProtection/riskyUsers", http.StatusOK, "")
	require.NotEmpty(t, b.getPage(t, tok, b.graphURL("/auditLogs/signIns?$filter="+url.QueryEscape("riskState eq 'atRisk'"))).Value)
}

func TestSkipToken(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	tok := b.login(t).AccessToken
	first := b.getPage(t, tok, b.graphURL("/users?$top=10&$select=id,displayName"))
	next, err := url.Parse(first.NextLink)
	require.NoError(t, err)
	require.Equal(t, "10", next.Query().Get("$top"))
	require.Equal(t, "id,displayName", next.Query().Get("$select"))
	skip := next.Query().Get("$skiptoken")
	require.NotEmpty(t, skip)
	require.NotContains(t, []string{"10", "1"}, skip)
	require.NotEmpty(t, b.getPage(t, tok, first.NextLink).Value)

	tampered := []byte(skip)
	tampered[len(tampered)/2] ^= 1
	policies := b.getPage(t, tok, b.graphURL("/identity/conditionalAccess/policies?$top=1"))
	policySkip, err := url.Parse(policies.NextLink)
	require.NoError(t, err)
	for _, bad := range []string{string(tampered), "10", policySkip.Query().Get("$skiptoken")} {
		resp, body := b.get(t, tok, b.graphURL("/users?$top=10&$skiptoken="+url.QueryEscape(bad)))
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, bad)
		require.Equal(t, "Request_BadRequest", decodeGraphErr(t, body).Error.Code)
	}

	// Links follow the request's origin: X-Forwarded-Proto sets the scheme.
	req, err := http.NewRequest(http.MethodGet, b.graphURL("/users?$top=10"), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err := b.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var p graphPage
	require.NoError(t, decodeJSON(resp, &p))
	host := strings.TrimPrefix(b.srv.URL, "http://")
	require.True(t, strings.HasPrefix(p.NextLink, "https://"+host+basePath+"/graph/v1.0/users?"), p.NextLink)
	require.True(t, strings.HasPrefix(p.Context, "https://"+host+basePath+"/graph/v1.0/$metadata#users"), p.Context)
}

func TestRootMount(t *testing.T) {
	t.Parallel()
	sim := entrasim.New(entrasim.Options{Tenants: []entrasim.TenantSpec{entrasim.DefaultTenant(testRedirect)}})
	require.NotNil(t, sim.Tenant(entrasim.DefaultTenantDomain))
	require.Nil(t, sim.Tenant("fabrikam-sim.onmicrosoft.com"))
	require.Len(t, sim.Tenants(), 1)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + "/login/_sim.css")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, err = http.Get(srv.URL + "/graph/v1.0/users")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestGraphRouting(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	tok := b.login(t).AccessToken
	for _, path := range []string{"/beta/users", "/v1.0/groups"} {
		resp, body := b.get(t, tok, b.srv.URL+basePath+"/graph"+path)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, path)
		require.Equal(t, "BadRequest", decodeGraphErr(t, body).Error.Code)
	}
	// Graph paths are case-insensitive, as in Microsoft's own nextLinks.
	require.NotEmpty(t, b.getPage(t, tok, b.graphURL("/auditLogs/signins?$top=5")).Value)

	req, err := http.NewRequest(http.MethodPost, b.graphURL("/users"), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := b.client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)

	req, err = http.NewRequest(http.MethodGet, b.graphURL("/users"), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("client-request-id", "0f5c3b2a-1d4e-4a6b-9c8d-7e6f5a4b3c2d")
	resp, err = b.client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, "0f5c3b2a-1d4e-4a6b-9c8d-7e6f5a4b3c2d", resp.Header.Get("client-request-id"))
	require.NotEmpty(t, resp.Header.Get("request-id"))
}

func TestControlAPI(t *testing.T) {
	t.Parallel()
	b := setup(t, entrasim.Options{})
	tok := b.login(t).AccessToken
	users := b.tenant.Users()
	var target entrasim.User
	for _, u := range users {
		if u.AccountEnabled && u.UserType == "Member" {
			target = u
			break
		}
	}

	require.NoError(t, b.tenant.UpdateUser(target.ID, func(u *entrasim.User) {
		u.AccountEnabled = false
		u.DisplayName = "Renamed User"
	}))
	items, _ := b.getAll(t, tok, b.graphURL("/users?$select=id,displayName,accountEnabled&$top=999"))
	found := false
	for _, raw := range items {
		var u entrasim.User
		require.NoError(t, json.Unmarshal(raw, &u))
		if u.ID == target.ID {
			found = true
			require.False(t, u.AccountEnabled)
			require.Equal(t, "Renamed User", u.DisplayName)
		}
	}
	require.True(t, found)
	for _, d := range b.tenant.RegistrationDetails() {
		require.NotEqual(t, target.ID, d.ID, "a disabled user has no registration details")
	}

	added := b.tenant.AddUser(entrasim.User{DisplayName: "New Hire", UserPrincipalName: "new.hire@" + entrasim.DefaultTenantDomain, AccountEnabled: true})
	require.NotEmpty(t, added.ID)
	require.NoError(t, b.tenant.UpdateRegistration(added.ID, func(d *entrasim.RegistrationDetail) {
		d.IsMfaRegistered = true
		d.MethodsRegistered = []string{"microsoftAuthenticatorPush"}
	}))
	require.NoError(t, b.tenant.DeleteUser(users[len(users)-1].ID))
	require.ErrorIs(t, b.tenant.DeleteUser(users[len(users)-1].ID), entrasim.ErrNotFound)
	require.ErrorIs(t, b.tenant.UpdateUser("missing", func(*entrasim.User) {}), entrasim.ErrNotFound)

	items, _ = b.getAll(t, tok, b.graphURL("/users?$select=id&$top=999"))
	require.Len(t, items, entrasim.DefaultUsers)
	regs, _ := b.getAll(t, tok, b.graphURL("/reports/authenticationMethods/userRegistrationDetails"))
	var mine entrasim.RegistrationDetail
	for _, raw := range regs {
		var d entrasim.RegistrationDetail
		require.NoError(t, json.Unmarshal(raw, &d))
		if d.ID == added.ID {
			mine = d
		}
	}
	require.True(t, mine.IsMfaRegistered)
	require.Equal(t, "member", mine.UserType)

	// Returned copies do not alias the simulator's state.
	copies := b.tenant.Users()
	copies[0].DisplayName = "changed"
	require.NotEqual(t, "changed", b.tenant.Users()[0].DisplayName)
}
