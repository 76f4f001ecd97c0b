package github

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/githubsim"
)

func TestBothPaginationsAreFollowedAcrossPagesToTheGroundTruth(t *testing.T) {
	t.Parallel()
	org := githubsim.DefaultOrg(testStart, githubsim.Size{Repos: 243, Members: 150, Alerts: 230})
	open := 0
	for _, a := range org.Alerts {
		if a.State == "open" {
			open++
		}
	}
	e := newEnv(t, githubsim.Options{Org: org})
	r := e.run(t, e.session(t))
	r.requireAllRead(t)
	w := r.w
	require.Len(t, kind[Repository](t, w, KindRepository), 250)
	require.Len(t, kind[Member](t, w, KindMember), 156)
	require.Len(t, kind[DependabotAlert](t, w, KindDependabotAlert), open)
	seen := map[string]bool{}
	for _, a := range kind[DependabotAlert](t, w, KindDependabotAlert) {
		require.False(t, seen[a.Repository+a.GHSAID], "no alert twice across cursor pages")
		seen[a.Repository+a.GHSAID] = true
	}
	reqs := e.sim.Requests()
	require.Equal(t, 3, reqs["GET /orgs/{org}/repos"], "250 repositories are 3 pages of 100")
	require.Equal(t, 2+1, reqs["GET /orgs/{org}/members"], "156 members are 2 pages, the 6 owners 1")
	require.Equal(t, (open+99)/100, reqs["GET /orgs/{org}/dependabot/alerts"], "cursor pages of 100")
}

func TestTheClientPausesUntilTheResetWhenThePrimaryBudgetIsSpent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{RateLimit: 10})
	s := e.session(t)
	e.run(t, s).requireAllRead(t)
	require.Zero(t, s.Stats().Throttled, "the client never asked past the budget")
	pauses := e.clock.pauses()
	require.NotEmpty(t, pauses)
	for _, p := range pauses {
		require.InDelta(t, time.Hour.Seconds(), p.Seconds(), 2, "each pause lasts until x-ratelimit-reset")
	}
	require.Greater(t, s.Stats().Requests, 20, "the sync needed more than two hourly budgets")
}

func TestSecondaryLimitsAreHonouredAsDocumented(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault githubsim.Throttle
		waits []time.Duration
	}{
		{"429 with retry-after waits that long", githubsim.Throttle{Status: http.StatusTooManyRequests, RetryAfter: 30 * time.Second, Times: 1},
			[]time.Duration{30 * time.Second}},
		{"403 with x-ratelimit-reset waits until the reset", githubsim.Throttle{Status: http.StatusForbidden, ResetIn: 5 * time.Minute, Times: 1},
			[]time.Duration{5 * time.Minute}},
		{"403 without guidance waits a minute, then backs off", githubsim.Throttle{Status: http.StatusForbidden, Times: 3},
			[]time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, githubsim.Options{})
			s := e.session(t)
			e.sim.Throttle(tc.fault)
			login, err := orgLogin(t.Context(), s)
			require.NoError(t, err)
			require.Equal(t, githubsim.DefaultOrgLogin, login)
			require.Equal(t, tc.waits, e.clock.pauses())
			require.Equal(t, len(tc.waits), s.Stats().Throttled)
		})
	}
}

func TestPersistentThrottlingGivesUpAsThrottledAndTheNextSyncReadsAgain(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	s := e.session(t)
	e.sim.Throttle(githubsim.Throttle{Status: http.StatusTooManyRequests, RetryAfter: time.Second, Times: DefaultRetry.Attempts})
	_, err := orgLogin(t.Context(), s)
	require.ErrorIs(t, err, ErrThrottled)
	require.Equal(t, connector.ErrorThrottled, Class(err))
	require.Equal(t, DefaultRetry.Attempts, s.Stats().Throttled)
	r := e.run(t, s)
	r.requireAllRead(t)
}

func TestAnUnchangedResyncCostsNoPrimaryBudgetThroughConditionalRequests(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	cache := &memCache{}
	first, err := e.open(t, nil, cache)
	require.NoError(t, err)
	e.run(t, first).requireAllRead(t)
	_, usedFirst, _ := e.sim.RateLimit(githubsim.DefaultInstallationID)
	require.Equal(t, first.Stats().Requests, usedFirst)

	second, err := e.open(t, nil, cache)
	require.NoError(t, err)
	r := e.run(t, second)
	_, usedAfter, _ := e.sim.RateLimit(githubsim.DefaultInstallationID)
	// GitHub sends no ETag with a 404: the four active repositories without
	// classic protection (web, docs, sandbox, release-tools) are answered
	// from the remembered "Branch not protected", unsent; every other
	// answer is a free 304.
	const unprotected = 4
	require.Equal(t, usedFirst, usedAfter, "an unchanged resync costs nothing")
	require.Equal(t, second.Stats().Requests, second.Stats().NotModified)
	require.Equal(t, unprotected, second.Stats().RememberedAbsent)
	r.requireAllRead(t)
	require.Len(t, kind[Repository](t, r.w, KindRepository), 7, "a 304 reuses the stored answer")

	e.sim.Edit(func(o *githubsim.Org) { o.Repos[0].Protection = nil })
	third, err := e.open(t, nil, cache)
	require.NoError(t, err)
	r = e.run(t, third)
	require.Equal(t, third.Stats().Requests-1, third.Stats().NotModified, "only the changed answer is paid for")
	require.Contains(t, subjectKeys(result(t, r.checks, CheckReviewRequired)), "acme-sim/api", "removed protection is seen at once")

	e.clock.Advance(6 * time.Hour)
	fourth, err := e.open(t, nil, cache)
	require.NoError(t, err)
	e.run(t, fourth).requireAllRead(t)
	require.Zero(t, fourth.Stats().RememberedAbsent, "a remembered 404 is asked again after six hours")
}

func TestALinkOutsideTheAPIRootIsRefused(t *testing.T) {
	t.Parallel()
	c := &client{root: "https://api.github.com"}
	_, err := c.resolve("https://evil.example/orgs/x/repos?page=2")
	require.ErrorIs(t, err, ErrMalformed)
	_, err = c.resolve("https://api.github.com.evil.example/orgs")
	require.ErrorIs(t, err, ErrMalformed)
	u, err := c.resolve("https://api.github.com/orgs/x/repos?page=2")
	require.NoError(t, err)
	require.Equal(t, "page=2", u.RawQuery)
}

func TestTheClientKeepsEachEndpointWithin900RequestsAMinute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	s := e.session(t)
	for range 901 {
		_, err := orgLogin(t.Context(), s)
		require.NoError(t, err)
	}
	require.Zero(t, s.Stats().Throttled, "GitHub never had to refuse")
	require.Equal(t, []time.Duration{time.Minute + time.Second}, e.clock.pauses(),
		"the 901st request waits until the first leaves the window, a second of margin added")
}
