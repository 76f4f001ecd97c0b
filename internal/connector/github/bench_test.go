package github

import (
	"testing"

	"github.com/attesthq/attest/internal/githubsim"
)

// BenchmarkSyncLargeOrganization syncs the scale of issue 17's benchmark
// (2,000 repositories, 5,000 members, 10,000 open alerts) over real HTTP,
// then resyncs it unchanged with conditional requests, and reports the
// primary budget each used.
func BenchmarkSyncLargeOrganization(b *testing.B) {
	org := githubsim.DefaultOrg(testStart, githubsim.Size{Repos: 1993, Members: 4994, Alerts: 9996})
	for b.Loop() {
		e := newEnv(b, githubsim.Options{Org: org})
		cache := &memCache{}
		first, err := e.open(b, nil, cache)
		if err != nil {
			b.Fatal(err)
		}
		e.run(b, first).requireAllRead(b)
		_, usedFirst, _ := e.sim.RateLimit(githubsim.DefaultInstallationID)
		again, err := e.open(b, nil, cache)
		if err != nil {
			b.Fatal(err)
		}
		e.run(b, again).requireAllRead(b)
		_, usedBoth, _ := e.sim.RateLimit(githubsim.DefaultInstallationID)
		limit, _, _ := e.sim.RateLimit(githubsim.DefaultInstallationID)
		b.ReportMetric(float64(first.Stats().Requests), "first-requests")
		b.ReportMetric(float64(usedFirst), "first-budget")
		b.ReportMetric(float64(usedBoth-usedFirst), "resync-budget")
		b.ReportMetric(float64(again.Stats().NotModified), "resync-304s")
		b.ReportMetric(float64(limit), "hourly-limit")
	}
}
