package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/oauth2"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/syncer"
	"github.com/attesthq/attest/internal/synctest"
)

// syncEnv connects a tenant of the given size served by a child simulator.
func syncEnv(b *testing.B, users int, throttle bool, limits *entra.Limits) (*synctest.Env, *simulator) {
	b.Helper()
	sim := startSimulator(b, users, throttle)
	spec := entrasim.DefaultTenant()
	spec.Size.Users = users
	retry := entra.DefaultRetry
	e := synctest.New(b, synctest.Options{SimulatorURL: sim.URL, Tenant: spec, Start: time.Now(), Limits: limits, Retry: &retry})
	return e, sim
}

// syncReps is how many times each measurement of BenchmarkSync is taken; the
// median is reported (the machine has two cores shared by the simulator,
// PostgreSQL and attest, so single runs vary by ±20%).
const syncReps = 3

// BenchmarkSync measures a first sync and an unchanged resync of a
// 50,000-user tenant against a fetch-only baseline and a baseline that
// COPYs the raw JSON, each the median of syncReps runs. The first sync must
// stay within 1.5x its baseline in every run, so its verdict is its worst
// run's, each run against the baseline measured just before it.
func BenchmarkSync(b *testing.B) {
	e, sim := syncEnv(b, 50_000, false, &synctest.NoLimits)
	token := accessToken(b, e)
	ctx := context.Background()
	scratch, err := pgxpool.New(ctx, e.DB.URL) // the schema owner: the scratch table is no tenant table
	if err != nil {
		b.Fatal(err)
	}
	defer scratch.Close()
	if _, err := scratch.Exec(ctx, `CREATE TABLE bench_raw (dataset text, item jsonb)`); err != nil {
		b.Fatal(err)
	}
	admin, err := pgxpool.New(ctx, e.DB.AdminURL)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	b.ResetTimer()
	for range b.N {
		baseline(b, e, token, nil) // warm the simulator's pages
		var fetchOnly, withCopy, firstTime, resyncTime []time.Duration
		var firstRuns []syncer.Outcome
		var firstRSS, resyncRSS float64
		var rows, newRows, resyncNew int
		var resyncKinds string
		var firstCPU, resyncCPU cpuUse
		for rep := range syncReps {
			checkpoint(b, admin)
			fetchOnly = append(fetchOnly, timed(func() { baseline(b, e, token, nil) }))
			checkpoint(b, admin)
			withCopy = append(withCopy, timed(func() { baseline(b, e, token, scratch) }))
			// Each first sync is a new organization's first connection.
			env := e
			if rep > 0 {
				spec := entrasim.DefaultTenant()
				spec.Size.Users = 50_000
				retry := entra.DefaultRetry
				env = synctest.New(b, synctest.Options{SimulatorURL: sim.URL, Tenant: spec, Start: time.Now(), Limits: &synctest.NoLimits, Retry: &retry, DB: e.DB})
			}
			conn := env.Connect(b)
			checkpoint(b, admin)
			settle()
			var first syncer.Outcome
			cpu := startCPU(b, e.DB.Pool)
			firstTime = append(firstTime, timed(func() { first = mustSync(b, env, conn) }))
			firstCPU = firstCPU.add(cpu.read())
			firstRuns = append(firstRuns, first)
			firstRSS = max(firstRSS, peakRSS())
			env.Clock.Advance(time.Hour)
			checkpoint(b, admin)
			settle()
			var again syncer.Outcome
			cpu = startCPU(b, e.DB.Pool)
			resyncTime = append(resyncTime, timed(func() { again = mustSync(b, env, conn) }))
			resyncCPU = resyncCPU.add(cpu.read())
			resyncRSS = max(resyncRSS, peakRSS())
			rows, newRows, resyncNew = env.Count(b, `SELECT count(*) FROM evidence`), first.NewRows, again.NewRows
			resyncKinds = addedKinds(b, env, again.RunID)
		}
		fo, wc, ft, rt := median(fetchOnly), median(withCopy), median(firstTime), median(resyncTime)
		firstRatio, resyncRatio := ft.Seconds()/wc.Seconds(), rt.Seconds()/fo.Seconds()
		firstRatios, resyncRatios := ratios(firstTime, withCopy), ratios(resyncTime, fetchOnly)
		worstFirst := slices.Max(firstRatios)
		peak := max(firstRSS, resyncRSS)
		b.ReportMetric(ft.Seconds(), "first-s")
		b.ReportMetric(rt.Seconds(), "resync-s")
		b.ReportMetric(firstRatio, "first/baseline")
		b.ReportMetric(worstFirst, "worst-first/baseline")
		b.ReportMetric(resyncRatio, "resync/fetch")
		b.ReportMetric(peak, "peak-MiB")
		firstCPU.report(b, "first-", syncReps)
		resyncCPU.report(b, "resync-", syncReps)
		lines := []string{
			fmt.Sprintf("Median of %d runs each; the simulator runs in its own process.", syncReps),
			"",
			"| measure | value | target |",
			"|---|---|---|",
			fmt.Sprintf("| evidence rows of one first sync | %d (%d new in the unchanged resync: %s) | |", rows, resyncNew, resyncKinds),
			fmt.Sprintf("| fetch-only baseline | %.2f s (runs: %s) | |", fo.Seconds(), durations(fetchOnly)),
			fmt.Sprintf("| fetch + COPY raw JSON baseline | %.2f s (runs: %s) | |", wc.Seconds(), durations(withCopy)),
			fmt.Sprintf("| first sync | %.2f s (runs: %s), %.0f rows/s, peak RSS %.0f MiB | |", ft.Seconds(), durations(firstTime), float64(newRows)/ft.Seconds(), firstRSS),
			fmt.Sprintf("| unchanged resync | %.2f s (runs: %s), peak RSS %.0f MiB | |", rt.Seconds(), durations(resyncTime), resyncRSS),
			fmt.Sprintf("| CPU per first sync (the simulator's process aside) | %s | |", firstCPU.perRun(syncReps)),
			fmt.Sprintf("| CPU per unchanged resync | %s | |", resyncCPU.perRun(syncReps)),
			fmt.Sprintf("| first sync / COPY baseline, worst run | %.2fx (median %.2fx; each run against the baseline measured just before it: %s) | ≤ 1.5x in every run: %s |",
				worstFirst, firstRatio, factors(firstRatios), verdict(worstFirst <= 1.5)),
			fmt.Sprintf("| resync / fetch-only | %.2fx (runs: %s) | ≤ 1.0x: %s |", resyncRatio, factors(resyncRatios), verdict(resyncRatio <= 1.0)),
			fmt.Sprintf("| peak RSS | %.0f MiB | < 100 MiB: %s |", peak, verdict(peak < 100)),
		}
		report(b, "Sync: 50,000-user tenant (throttling off)", append(lines, outliers(firstTime, ft, firstRuns)...))
	}
}

// addedKinds names the kinds of the evidence a run added, with how many of
// each when more than one. An unchanged tenant's resync an hour later may still add a summary:
// its figures move with the clock (the inactivity threshold, the 30-day
// window of risky sign-ins).
func addedKinds(b *testing.B, e *synctest.Env, run uuid.UUID) string {
	b.Helper()
	var kinds string
	err := db.InOrg(context.Background(), e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT coalesce(string_agg(kind || CASE WHEN n > 1 THEN ' ×' || n ELSE '' END, ', ' ORDER BY kind), 'none')
			FROM (SELECT kind, count(*) AS n FROM evidence WHERE first_run_id = $1 GROUP BY kind) k`, run).Scan(&kinds)
	})
	if err != nil {
		b.Fatal(err)
	}
	return kinds
}

// ratios divides each run's time by the paired run's.
func ratios(runs, baselines []time.Duration) []float64 {
	out := make([]float64, len(runs))
	for i := range runs {
		out[i] = runs[i].Seconds() / baselines[i].Seconds()
	}
	return out
}

func factors(fs []float64) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = fmt.Sprintf("%.2fx", f)
	}
	return strings.Join(parts, ", ")
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	slices.Sort(s)
	return s[len(s)/2]
}

func durations(ds []time.Duration) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = fmt.Sprintf("%.2f", d.Seconds())
	}
	return strings.Join(parts, ", ")
}

func mustSync(b *testing.B, e *synctest.Env, conn uuid.UUID) syncer.Outcome {
	b.Helper()
	out, err := e.Syncer.Run(context.Background(), syncer.Request{OrgID: e.Org.ID, ConnectionID: conn, Trigger: "manual", Attempt: 1})
	if err != nil {
		b.Fatal(err)
	}
	if out.Status != syncer.StatusSucceeded {
		b.Fatalf("sync %s: %s", out.Status, out.Error)
	}
	return out
}

func timed(fn func()) time.Duration {
	start := time.Now()
	fn()
	return time.Since(start)
}

// accessToken authorizes against the simulator like the connect flow and
// returns an access token for the baselines.
func accessToken(b *testing.B, e *synctest.Env) string {
	b.Helper()
	cfg := &oauth2.Config{
		ClientID: entrasim.DefaultClientID, ClientSecret: entrasim.DefaultClientSecret, RedirectURL: synctest.Callback,
		Scopes: entra.RequestedScopes(e.SimulatorURL + "/sim/graph"),
		Endpoint: oauth2.Endpoint{AuthURL: e.SimulatorURL + "/sim/login/" + entrasim.DefaultTenantID + "/oauth2/v2.0/authorize",
			TokenURL: e.SimulatorURL + "/sim/login/" + entrasim.DefaultTenantID + "/oauth2/v2.0/token", AuthStyle: oauth2.AuthStyleInParams},
	}
	verifier := oauth2.GenerateVerifier()
	params := e.Consent(b, cfg.AuthCodeURL("bench", oauth2.S256ChallengeOption(verifier)))
	tok, err := cfg.Exchange(context.Background(), params.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		b.Fatal(err)
	}
	return tok.AccessToken
}

// baseline fetches the same pages as a sync, concurrently per dataset,
// following nextLink; with a pool it COPYs each item's raw JSON.
func baseline(b *testing.B, e *synctest.Env, token string, pool interface {
	CopyFrom(context.Context, pgx.Identifier, []string, pgx.CopyFromSource) (int64, error)
}) {
	b.Helper()
	graph := e.SimulatorURL + "/sim/graph/v1.0"
	since := time.Now().Add(-30 * 24 * time.Hour).UTC().Format(time.RFC3339)
	urls := map[string]string{
		"users":         graph + "/users?$select=id,displayName,userPrincipalName,mail,accountEnabled,userType,createdDateTime,signInActivity&$top=500",
		"registrations": graph + "/reports/authenticationMethods/userRegistrationDetails",
		"policies":      graph + "/identity/conditionalAccess/policies",
		"risky_users":   graph + "/identityProtection/riskyUsers?$top=500",
		"risky_signins": graph + "/auditLogs/signIns?$filter=" + url.QueryEscape("riskState eq 'atRisk' and createdDateTime ge "+since) + "&$top=1000",
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(urls))
	for name, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u != "" {
				req, _ := http.NewRequest(http.MethodGet, u, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err
					return
				}
				var page struct {
					Next  string            `json:"@odata.nextLink"`
					Value []json.RawMessage `json:"value"`
				}
				err = json.NewDecoder(resp.Body).Decode(&page)
				resp.Body.Close()
				if err != nil {
					errs <- fmt.Errorf("%s: %w", name, err)
					return
				}
				if pool != nil {
					rows := make([][]any, len(page.Value))
					for i, v := range page.Value {
						rows[i] = []any{name, string(v)}
					}
					if _, err := pool.CopyFrom(context.Background(), pgx.Identifier{"bench_raw"}, []string{"dataset", "item"}, pgx.CopyFromRows(rows)); err != nil {
						errs <- err
						return
					}
				}
				u = page.Next
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil && !strings.Contains(err.Error(), "EOF") {
			b.Fatal(err)
		}
	}
}

// outliers describes each first sync that took over three times the median,
// dataset by dataset, so a slow run can be told apart from a slow machine.
func outliers(times []time.Duration, median time.Duration, runs []syncer.Outcome) []string {
	var out []string
	for i, d := range times {
		if d <= 3*median {
			continue
		}
		var parts []string
		for _, ds := range runs[i].Datasets {
			parts = append(parts, fmt.Sprintf("%s %s: %d requests, %d throttled, %d retries", ds.Dataset, ds.Status, ds.Requests, ds.Throttled, ds.Retries))
		}
		out = append(out, "", fmt.Sprintf("First sync run %d took %.1f s (%.0fx the median): %s.", i+1, d.Seconds(), d.Seconds()/median.Seconds(), strings.Join(parts, "; ")))
	}
	return out
}
