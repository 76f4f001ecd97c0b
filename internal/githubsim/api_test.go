package githubsim_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/githubsim"
)

func TestRequiredHeadersAreEnforcedAsGitHubDoes(t *testing.T) {
	t.Parallel()
	b := newBench(t, githubsim.Options{})
	tok := b.token(t)
	a := b.do(t, http.MethodGet, "/orgs/acme-sim", tok, func(h http.Header) { h.Set("User-Agent", "") }) // Go then sends none
	require.Equal(t, http.StatusForbidden, a.status)
	require.Contains(t, a.message(t), "User-Agent")
	a = b.do(t, http.MethodGet, "/orgs/acme-sim", tok, func(h http.Header) { h.Set("X-GitHub-Api-Version", "2021-01-01") })
	require.Equal(t, http.StatusBadRequest, a.status)
	a = b.do(t, http.MethodGet, "/orgs/acme-sim", tok, func(h http.Header) { h.Del("X-GitHub-Api-Version") })
	require.Equal(t, http.StatusOK, a.status)
	require.Equal(t, "2022-11-28", a.header.Get("X-GitHub-Api-Version-Selected"))
	a = b.do(t, http.MethodGet, "/orgs/acme-sim", tok, func(h http.Header) { h.Set("X-GitHub-Api-Version", "2026-03-10") })
	require.Equal(t, http.StatusOK, a.status)
	require.Equal(t, "2026-03-10", a.header.Get("X-GitHub-Api-Version-Selected"))
}

func TestInstallationTokensAreCheckedOnEveryCall(t *testing.T) {
	t.Parallel()
	b := newBench(t, githubsim.Options{})
	tok := b.token(t)
	require.Equal(t, http.StatusOK, b.do(t, http.MethodGet, "/orgs/acme-sim", tok, nil).status)
	b.clock.Advance(time.Hour)
	a := b.do(t, http.MethodGet, "/orgs/acme-sim", tok, nil)
	require.Equal(t, http.StatusUnauthorized, a.status, "expired after one hour")
	require.Equal(t, "Bad credentials", a.message(t))

	tok = b.token(t)
	b.sim.Suspend(githubsim.DefaultInstallationID)
	a = b.do(t, http.MethodGet, "/orgs/acme-sim", tok, nil)
	require.Equal(t, http.StatusForbidden, a.status)
	require.Equal(t, "This installation has been suspended", a.message(t))
	a = b.do(t, http.MethodPost, "/app/installations/12345678/access_tokens", b.appJWT(t), nil)
	require.Equal(t, http.StatusForbidden, a.status)
	require.Equal(t, "This installation has been suspended", a.message(t))
	a = b.do(t, http.MethodGet, "/app/installations/12345678", b.appJWT(t), nil)
	require.Equal(t, http.StatusOK, a.status)
	require.Contains(t, a.body, `"suspended_at":"2026-12-04T10:00:00Z"`)

	b2 := newBench(t, githubsim.Options{})
	tok = b2.token(t)
	b2.sim.Uninstall(githubsim.DefaultInstallationID)
	a = b2.do(t, http.MethodGet, "/orgs/acme-sim", tok, nil)
	require.Equal(t, http.StatusUnauthorized, a.status, "an uninstalled App's tokens are revoked")
	require.Equal(t, http.StatusNotFound, b2.do(t, http.MethodGet, "/app/installations/12345678", b2.appJWT(t), nil).status)
	require.Equal(t, http.StatusNotFound, b2.do(t, http.MethodGet, "/orgs/acme-sim/installation", b2.appJWT(t), nil).status)
	require.Equal(t, http.StatusNotFound, b2.do(t, http.MethodPost, "/app/installations/12345678/access_tokens", b2.appJWT(t), nil).status)
}

func TestTokensVaryInLengthAndFollowTheNewFormat(t *testing.T) {
	t.Parallel()
	b := newBench(t, githubsim.Options{})
	lengths := map[int]bool{}
	for range 8 {
		tok := strings.TrimPrefix(b.token(t), "token ")
		require.True(t, strings.HasPrefix(tok, "ghs_98765_"), tok)
		require.Regexp(t, regexp.MustCompile(`^[A-Za-z0-9_.\-]+$`), tok)
		lengths[len(tok)] = true
	}
	require.Greater(t, len(lengths), 1)
}

func TestAMissingPermissionIs403NamingIt(t *testing.T) {
	t.Parallel()
	b := newBench(t, githubsim.Options{})
	perms := githubsim.Permissions()
	delete(perms, "members")
	b.sim.SetPermissions(githubsim.DefaultInstallationID, perms)
	a := b.do(t, http.MethodGet, "/orgs/acme-sim/members", b.token(t), nil)
	require.Equal(t, http.StatusForbidden, a.status)
	require.Equal(t, "Resource not accessible by integration", a.message(t))
	require.Equal(t, "members=read", a.header.Get("X-Accepted-GitHub-Permissions"))
}

func TestPrimaryRateLimitHeadersAndExhaustion(t *testing.T) {
	t.Parallel()
	b := newBench(t, githubsim.Options{RateLimit: 3})
	tok := b.token(t)
	reset := strconv.FormatInt(start.Add(time.Hour).Unix(), 10)
	for i := 1; i <= 3; i++ {
		a := b.do(t, http.MethodGet, "/orgs/acme-sim", tok, nil)
		require.Equal(t, http.StatusOK, a.status)
		require.Equal(t, "3", a.header.Get("X-Ratelimit-Limit"))
		require.Equal(t, strconv.Itoa(3-i), a.header.Get("X-Ratelimit-Remaining"))
		require.Equal(t, strconv.Itoa(i), a.header.Get("X-Ratelimit-Used"))
		require.Equal(t, reset, a.header.Get("X-Ratelimit-Reset"))
		require.Equal(t, "core", a.header.Get("X-Ratelimit-Resource"))
	}
	a := b.do(t, http.MethodGet, "/orgs/acme-sim", tok, nil)
	require.Equal(t, http.StatusForbidden, a.status)
	require.Equal(t, "0", a.header.Get("X-Ratelimit-Remaining"))
	require.Contains(t, a.message(t), "API rate limit exceeded for installation ID 12345678")
	b.clock.Set(start.Add(time.Hour))
	tok = b.token(t)
	require.Equal(t, http.StatusOK, b.do(t, http.MethodGet, "/orgs/acme-sim", tok, nil).status, "a new hour, a new budget")
}

func TestThePrimaryLimitGrowsWithTheOrganizationAsDocumented(t *testing.T) {
	t.Parallel()
	require.Equal(t, 5000, githubsim.PrimaryLimit(githubsim.PlanTeam, 20, 20))
	require.Equal(t, 5000+50*30+50*10, githubsim.PrimaryLimit(githubsim.PlanTeam, 50, 30))
	require.Equal(t, 12500, githubsim.PrimaryLimit(githubsim.PlanFree, 2000, 5000))
	require.Equal(t, 15000, githubsim.PrimaryLimit(githubsim.PlanEnterprise, 1, 1))
}

func TestA304CostsNoPrimaryBudget(t *testing.T) {
	t.Parallel()
	b := newBench(t, githubsim.Options{})
	tok := b.token(t)
	a := b.do(t, http.MethodGet, "/orgs/acme-sim/repos?per_page=2", tok, nil)
	etag := a.header.Get("ETag")
	require.NotEmpty(t, etag)
	a = b.do(t, http.MethodGet, "/orgs/acme-sim/repos?per_page=2", tok, func(h http.Header) { h.Set("If-None-Match", etag) })
	require.Equal(t, http.StatusNotModified, a.status)
	require.Empty(t, a.body)
	require.Equal(t, "1", a.header.Get("X-Ratelimit-Used"))
	b.sim.Edit(func(o *githubsim.Org) { o.Repos[0].Archived = true })
	a = b.do(t, http.MethodGet, "/orgs/acme-sim/repos?per_page=2", tok, func(h http.Header) { h.Set("If-None-Match", etag) })
	require.Equal(t, http.StatusOK, a.status, "a changed answer has a new ETag")
	require.Equal(t, "2", a.header.Get("X-Ratelimit-Used"))
}

// links parses a Link header into rel -> URL.
func links(t *testing.T, header string) map[string]*url.URL {
	t.Helper()
	out := map[string]*url.URL{}
	for _, m := range regexp.MustCompile(`<([^>]+)>; rel="([a-z]+)"`).FindAllStringSubmatch(header, -1) {
		u, err := url.Parse(m[1])
		require.NoError(t, err)
		out[m[2]] = u
	}
	return out
}

func TestPageNumberPaginationAnswersLinkHeaders(t *testing.T) {
	t.Parallel()
	b := newBench(t, githubsim.Options{Org: githubsim.DefaultOrg(start, githubsim.Size{Repos: 243})})
	tok := b.token(t)
	a := b.do(t, http.MethodGet, "/orgs/acme-sim/repos", tok, nil)
	var page []json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(a.body), &page))
	require.Len(t, page, 30, "30 by default")
	a = b.do(t, http.MethodGet, "/orgs/acme-sim/repos?per_page=500&page=2", tok, nil)
	require.NoError(t, json.Unmarshal([]byte(a.body), &page))
	require.Len(t, page, 100, "at most 100")
	l := links(t, a.header.Get("Link"))
	require.Equal(t, "1", l["prev"].Query().Get("page"))
	require.Equal(t, "3", l["next"].Query().Get("page"))
	require.Equal(t, "3", l["last"].Query().Get("page"))
	require.Equal(t, "1", l["first"].Query().Get("page"))
	require.Equal(t, b.srv.URL+"/api/v3/orgs/acme-sim/repos", l["next"].Scheme+"://"+l["next"].Host+l["next"].Path, "absolute URLs")
	a = b.do(t, http.MethodGet, "/orgs/acme-sim/members?per_page=100", tok, nil)
	require.Empty(t, a.header.Get("Link"), "no Link when one page holds everything")
}

func TestDependabotAlertsPaginateByCursorOnly(t *testing.T) {
	t.Parallel()
	b := newBench(t, githubsim.Options{Org: githubsim.DefaultOrg(start, githubsim.Size{Alerts: 7})})
	tok := b.token(t)
	a := b.do(t, http.MethodGet, "/orgs/acme-sim/dependabot/alerts?page=2", tok, nil)
	require.Equal(t, http.StatusBadRequest, a.status)
	require.Equal(t, "Pagination using the page parameter is not supported.", a.message(t))

	var numbers []int
	next := "/orgs/acme-sim/dependabot/alerts?state=open&per_page=3"
	var prev *url.URL
	for next != "" {
		a = b.do(t, http.MethodGet, next, tok, nil)
		require.Equal(t, http.StatusOK, a.status, a.body)
		var page []struct {
			Number int `json:"number"`
		}
		require.NoError(t, json.Unmarshal([]byte(a.body), &page))
		for _, p := range page {
			numbers = append(numbers, p.Number)
		}
		l := links(t, a.header.Get("Link"))
		next = ""
		if u := l["next"]; u != nil {
			require.NotEmpty(t, u.Query().Get("after"))
			require.False(t, u.Query().Has("page"))
			next = u.String()
		}
		if u := l["prev"]; u != nil {
			prev = u
			require.NotEmpty(t, u.Query().Get("before"))
		}
	}
	require.Len(t, numbers, 11, "4 open demo alerts and 7 generated")
	require.NotNil(t, prev)
	a = b.do(t, http.MethodGet, prev.String(), tok, nil)
	require.Equal(t, http.StatusOK, a.status)
	var back []struct {
		Number int `json:"number"`
	}
	require.NoError(t, json.Unmarshal([]byte(a.body), &back))
	require.Equal(t, numbers[6], back[0].Number, "before= goes back one page")
}

func TestFreePlanRefusesPrivateRepositoryProtection(t *testing.T) {
	t.Parallel()
	b := newBench(t, githubsim.Options{})
	b.sim.SetPlan(githubsim.PlanFree)
	tok := b.token(t)
	const upgrade = "Upgrade to GitHub Pro or make this repository public to enable this feature."
	a := b.do(t, http.MethodGet, "/repos/acme-sim/api/branches/main/protection", tok, nil)
	require.Equal(t, http.StatusForbidden, a.status)
	require.Equal(t, upgrade, a.message(t))
	a = b.do(t, http.MethodGet, "/repos/acme-sim/api/rules/branches/main", tok, nil)
	require.Equal(t, http.StatusForbidden, a.status)
	require.Equal(t, upgrade, a.message(t))
	a = b.do(t, http.MethodGet, "/repos/acme-sim/docs/branches/main/protection", tok, nil)
	require.Equal(t, http.StatusNotFound, a.status, "a public repository is protectable on Free")
	require.Equal(t, "Branch not protected", a.message(t))
	a = b.do(t, http.MethodGet, "/repos/acme-sim/release-tools/rules/branches/release%2Fv2", tok, nil)
	require.Equal(t, http.StatusForbidden, a.status, "an escaped branch name reaches the branch")
}

func TestAnEndpointAdmits900RequestsAMinute(t *testing.T) {
	t.Parallel()
	b := newBench(t, githubsim.Options{})
	tok := b.token(t)
	for i := range 900 {
		if i%300 == 0 {
			b.clock.Advance(10 * time.Second)
		}
		require.Equal(t, http.StatusOK, b.do(t, http.MethodGet, "/orgs/acme-sim", tok, nil).status, "request %d", i+1)
	}
	require.Equal(t, http.StatusOK, b.do(t, http.MethodGet, "/orgs/acme-sim/members", tok, nil).status, "another endpoint has its own points")
	a := b.do(t, http.MethodGet, "/orgs/acme-sim", tok, nil)
	require.Equal(t, http.StatusForbidden, a.status)
	require.Contains(t, a.message(t), "secondary rate limit")
	require.Equal(t, "40", a.header.Get("Retry-After"), "the first 300 came 20 s ago and leave the window 60 s after they came")
	_, used, _ := b.sim.RateLimit(githubsim.DefaultInstallationID)
	require.Equal(t, 901, used, "the refused request is not charged to the primary budget")
	b.clock.Advance(40 * time.Second)
	require.Equal(t, http.StatusOK, b.do(t, http.MethodGet, "/orgs/acme-sim", tok, nil).status)
}
