package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/connector/github"
	"github.com/attesthq/attest/internal/githubsim"
	"github.com/attesthq/attest/internal/syncer"
	"github.com/attesthq/attest/internal/synctest"
)

// BenchmarkGitHubSync syncs issue 17's organization (2,000 repositories,
// 5,000 members, 10,000 open alerts) through the platform's runner and
// writer, then resyncs it unchanged an hour later, when the stored ETags
// turn most requests into 304s. It reports the primary budget each used
// against the hourly limit, wall time and peak RSS (the simulator runs in
// its own process; the connection is made by the manifest flow, so the App
// and its key are the simulator's).
func BenchmarkGitHubSync(b *testing.B) {
	origin := startGitHubSimulator(b)
	hc := &http.Client{Timeout: 2 * time.Minute}
	for range b.N {
		gh := github.New(hc)
		e := synctest.New(b, synctest.Options{Start: time.Now(), Others: []connector.Connector{gh}})
		conn, installation := connectGitHubByManifest(b, e, hc, origin+"/_githubsim/api/v3")
		settle()
		var first, again syncer.Outcome
		cpu := startCPU(b, e.DB.Pool)
		firstTime := timed(func() { first = mustSync(b, e, conn) })
		firstCPU := cpu.read()
		firstRSS := peakRSS()
		afterFirst := githubBudgetOf(b, origin, installation)
		e.Clock.Advance(time.Hour)
		settle()
		cpu = startCPU(b, e.DB.Pool)
		resyncTime := timed(func() { again = mustSync(b, e, conn) })
		resyncCPU := cpu.read()
		resyncRSS := peakRSS()
		afterBoth := githubBudgetOf(b, origin, installation)
		used, reused := afterFirst.Used, afterBoth.Used-afterFirst.Used
		share := float64(reused) / float64(used)
		peak := max(firstRSS, resyncRSS)
		b.ReportMetric(firstTime.Seconds(), "first-s")
		b.ReportMetric(resyncTime.Seconds(), "resync-s")
		b.ReportMetric(float64(used), "first-budget")
		b.ReportMetric(float64(reused), "resync-budget")
		b.ReportMetric(peak, "peak-MiB")
		firstCPU.report(b, "first-", 1)
		resyncCPU.report(b, "resync-", 1)
		report(b, "GitHub sync: 2,000 repositories, 5,000 members, 10,000 open alerts", []string{
			"One run; the simulator runs in its own process on the wall clock, so the client's pacing (900 requests a minute per endpoint) is real waiting.",
			"",
			"| measure | value | target |",
			"|---|---|---|",
			fmt.Sprintf("| first sync | %.1f s, %d new evidence rows, peak RSS %.0f MiB | |", firstTime.Seconds(), first.NewRows, firstRSS),
			fmt.Sprintf("| first sync's CPU (the simulator's process aside) | %s | |", firstCPU.seconds()),
			fmt.Sprintf("| first sync's primary budget | %d of %d an hour | |", used, afterFirst.Limit),
			fmt.Sprintf("| unchanged resync | %.1f s, %d new evidence rows, peak RSS %.0f MiB | |", resyncTime.Seconds(), again.NewRows, resyncRSS),
			fmt.Sprintf("| unchanged resync's CPU | %s | |", resyncCPU.seconds()),
			fmt.Sprintf("| unchanged resync's primary budget | %d (%.1f%% of the first sync's) | < 10%%: %s |", reused, 100*share, verdict(share < 0.10)),
			fmt.Sprintf("| peak RSS | %.0f MiB | < 150 MiB: %s |", peak, verdict(peak < 150)),
		})
	}
}

// connectGitHubByManifest connects the child simulator's organization as
// the wizard's manifest path does: the manifest posted to GitHub's page,
// the code redeemed at the callback, the App installed, the installation
// verified at the callback. It returns the connection and the installation.
func connectGitHubByManifest(b *testing.B, e *synctest.Env, hc *http.Client, apiRoot string) (uuid.UUID, int64) {
	b.Helper()
	ctx := context.Background()
	c := e.Registry.Get(github.Key)
	setup, errs := c.ParseForm(url.Values{github.FieldMethod: {github.MethodManifest}, github.FieldOrg: {githubsim.DefaultOrgLogin},
		github.FieldAPIRoot: {apiRoot}})
	if len(errs) > 0 {
		b.Fatalf("connect form: %v", errs)
	}
	target, connID, err := e.Services.Start(ctx, e.Org.ID, e.User(), github.Key, setup)
	if err != nil {
		b.Fatal(err)
	}
	browser := *hc
	browser.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	back := func(req func() (*http.Response, error)) url.Values {
		resp, err := req()
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		u, err := url.Parse(resp.Header.Get("Location"))
		if err != nil || resp.StatusCode != http.StatusFound {
			b.Fatalf("GitHub answered %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		return u.Query()
	}
	complete := func(params url.Values) connection.Outcome {
		out, err := e.Services.Complete(ctx, github.Key, e.User(), params)
		if err != nil || out.Problem != nil {
			b.Fatalf("callback: %v %+v", err, out.Problem)
		}
		return out
	}
	created := complete(back(func() (*http.Response, error) { return browser.PostForm(target.URL, target.Form) }))
	installed := back(func() (*http.Response, error) { return browser.Get(created.Next.URL) })
	complete(installed)
	id, err := strconv.ParseInt(installed.Get("installation_id"), 10, 64)
	if err != nil {
		b.Fatal(err)
	}
	return connID, id
}
