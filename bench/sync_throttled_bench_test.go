package bench

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/syncer"
)

// documentedWindows are Graph's documented "N requests per W" limits, by
// the simulator's family names.
var documentedWindows = []struct {
	family entrasim.Family
	n      int
	w      time.Duration
}{
	{entrasim.FamilyReports, 5, 10 * time.Second},
	{entrasim.FamilySignInActivity, 10, time.Minute},
	{entrasim.FamilyProtection, 1, time.Second},
}

// windowBound is the least time k requests take at n per w: the first n may
// go at once and every further n waits a whole window, so the k-th starts
// floor((k-1)/n) windows after the first.
func windowBound(k, n int, w time.Duration) time.Duration {
	if k <= 0 {
		return 0
	}
	return time.Duration((k-1)/n) * w
}

// BenchmarkSyncThrottled syncs a 5,000-user and a 50,000-user tenant against
// a simulator that enforces Graph's documented limits, pacing with the
// production limiter, and holds the wall time to the lower bound the
// windows allow for the requests the sync needed.
func BenchmarkSyncThrottled(b *testing.B) {
	for _, size := range []struct {
		users int
		label string
	}{{5_000, "5,000"}, {50_000, "50,000"}} {
		b.Run(fmt.Sprintf("users=%d", size.users), func(b *testing.B) { throttledSync(b, size.users, size.label) })
	}
}

func throttledSync(b *testing.B, users int, label string) {
	e, sim := syncEnv(b, users, true, &entra.DocumentedLimits)
	conn := e.Connect(b)
	b.ResetTimer()
	for range b.N {
		before := len(sim.stats(b).Requests)
		var out syncer.Outcome
		cpu := startCPU(b, e.DB.Pool)
		took := timed(func() { out = mustSync(b, e, conn) })
		used := cpu.read()
		used.report(b, "", 1)
		requests := sim.stats(b).Requests[before:]
		tooMany := 0
		needed := map[entrasim.Family]int{}
		for _, r := range requests {
			if r.Status == 429 {
				tooMany++
				continue
			}
			for _, f := range r.Families {
				needed[f]++
			}
		}
		var bound time.Duration
		var perFamily []string
		for _, lim := range documentedWindows {
			fb := windowBound(needed[lim.family], lim.n, lim.w)
			bound = max(bound, fb)
			perFamily = append(perFamily, fmt.Sprintf("%s %d at %d per %.0f s: %.0f s", lim.family, needed[lim.family], lim.n, lim.w.Seconds(), fb.Seconds()))
		}
		ratio := took.Seconds() / bound.Seconds()
		b.ReportMetric(took.Seconds(), "s")
		b.ReportMetric(float64(tooMany), "429s")
		b.ReportMetric(ratio, "x-bound")
		report(b, fmt.Sprintf("Sync with throttling: %s-user tenant at Graph's documented limits", label), []string{
			"The simulator counts exactly N requests per sliding window W; the client paces with `entra.DocumentedLimits` " +
				"(the documented N per W, each window lengthened by a margin of 250 ms, at most a twentieth of the window). The bound is, per family, the least " +
				"time its k needed requests take (the k-th starts floor((k-1)/N) windows after the first); the largest wins.",
			"",
			"| measure | value | target |",
			"|---|---|---|",
			fmt.Sprintf("| requests needed | %s | |", strings.Join(perFamily, "; ")),
			fmt.Sprintf("| run | %s, %d new rows | |", out.Status, out.NewRows),
			fmt.Sprintf("| 429 responses | %d | 0: %s |", tooMany, verdict(tooMany == 0)),
			fmt.Sprintf("| wall time | %.1f s (the windows allow no less than %.1f s) | |", took.Seconds(), bound.Seconds()),
			fmt.Sprintf("| ratio to the bound | %.2fx | ≤ 1.10x: %s |", ratio, verdict(ratio <= 1.10)),
			fmt.Sprintf("| CPU (the simulator's process aside) | %s | |", used.seconds()),
		})
	}
}

func TestWindowBoundIsWholeWindowsAfterTheFirstN(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		k, n int
		w    time.Duration
		want time.Duration
	}{
		{0, 5, 10 * time.Second, 0},
		{5, 5, 10 * time.Second, 0},
		{6, 5, 10 * time.Second, 10 * time.Second},
		{21, 5, 10 * time.Second, 40 * time.Second}, // the old figure said 32 s
		{10, 10, time.Minute, 0},
		{100, 10, time.Minute, 9 * time.Minute},
		{2, 1, time.Second, time.Second},
	} {
		require.Equal(t, c.want, windowBound(c.k, c.n, c.w), "%d at %d per %s", c.k, c.n, c.w)
	}
}
