package bench

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/internal/webtest"
)

// signInBurst is the sign-in benchmark's size (issue 13): concurrent
// sign-ins sent at once.
const signInBurst = 200

// BenchmarkSignInBurst sends signInBurst sign-ins at once, each for a
// different unknown email from a different client address (through a
// trusted proxy's X-Forwarded-For), so neither the account nor the address
// throttle holds any of them back: only the hashing slots bound the memory.
// Hashing uses the production argon2id parameters (46 MiB each). It records
// the process's peak resident memory during the burst (server and load
// generator share the process; PostgreSQL runs in its own), the answers and
// how many hashes ran.
func BenchmarkSignInBurst(b *testing.B) {
	srv, hasher, pool := signInServer(b)
	c := webtest.NewClient(b, srv.URL)
	c.Get("/login")
	cookies := c.Cookies()

	b.ResetTimer()
	for i := range b.N {
		runtime.GC()
		debug.FreeOSMemory()
		baseline := currentRSS()
		resetPeakRSS()
		checks := hasher.Checks()
		cpu := startCPU(b, pool)
		start := time.Now()
		statuses, retryAfter := burst(b, srv.URL, c.CSRF, cookies, i)
		took := time.Since(start)
		used := cpu.read()
		used.report(b, "", signInBurst)
		rss := peakRSS()
		hashes := hasher.Checks() - checks
		b.ReportMetric(rss, "peak-RSS-MiB")
		b.ReportMetric(float64(hashes), "hashes")
		report(b, fmt.Sprintf("Sign-in: a burst of %d concurrent sign-ins", signInBurst), []string{
			fmt.Sprintf("`go test -run '^$' -bench BenchmarkSignInBurst -benchtime 1x ./bench/`: %d POST /login sent at once over HTTP, "+
				"each for a different unknown email from a different address (X-Forwarded-For through a trusted proxy), so no "+
				"throttle applies and only the hashing slots (GOMAXPROCS = %d, wait %s) bound the work; production argon2id "+
				"(%d MiB, 1 pass). Peak RSS is the whole process's high-water mark (server, load generator, Go runtime) "+
				"from the start of the burst until every answer arrived; PostgreSQL runs in its own process.",
				signInBurst, runtime.GOMAXPROCS(0), auth.DefaultHashWait, auth.ProductionParams.Memory/1024),
			"",
			"| measure | value | target |",
			"|---|---|---|",
			fmt.Sprintf("| answers | %s | |", statusSummary(statuses)),
			fmt.Sprintf("| Retry-After on every 429 | %v | yes: %s |", retryAfter, verdict(retryAfter)),
			fmt.Sprintf("| hashes run | %d | one per 401 |", hashes),
			fmt.Sprintf("| wall time | %.1f s | |", took.Seconds()),
			fmt.Sprintf("| CPU | %s | |", used.seconds()),
			fmt.Sprintf("| CPU per sign-in | %s | |", used.per(signInBurst)),
			fmt.Sprintf("| RSS before the burst | %.0f MiB | |", baseline),
			fmt.Sprintf("| peak RSS | %.0f MiB | < 300 MB: %s |", rss, verdict(rss*(1<<20) < 300e6)),
		})
	}
}

// signInServer runs attest's web server over a fresh database, with the
// production pool size and hashing parameters, believing X-Forwarded-For
// from the loopback address.
func signInServer(b *testing.B) (*httptest.Server, *auth.Hasher, *pgxpool.Pool) {
	b.Helper()
	s := newWebServer(b, map[string]string{"ATTEST_TRUSTED_PROXIES": "127.0.0.1/32"}, auth.ProductionParams, nil)
	return s.srv, s.hasher, s.pool
}

// burst sends the sign-ins at once and returns how many got each status,
// and whether every 429 carried Retry-After.
func burst(b *testing.B, base, csrf string, cookies []*http.Cookie, round int) (map[int]int, bool) {
	b.Helper()
	type answer struct {
		status     int
		retryAfter string
		err        error
	}
	answers := make([]answer, signInBurst)
	transport := &http.Transport{MaxIdleConnsPerHost: signInBurst}
	defer transport.CloseIdleConnections()
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range answers {
		wg.Go(func() {
			form := url.Values{"_csrf": {csrf}, "email": {fmt.Sprintf("nobody%d-%d@bench.test", round, i)}, "password": {"a guess that is long enough"}}
			req, err := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
			if err != nil {
				answers[i].err = err
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", round, i/250, i%250+1))
			for _, ck := range cookies {
				req.AddCookie(ck)
			}
			<-start
			resp, err := transport.RoundTrip(req)
			if err != nil {
				answers[i].err = err
				return
			}
			_ = resp.Body.Close()
			answers[i] = answer{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
		})
	}
	close(start)
	wg.Wait()
	statuses := map[int]int{}
	retryAfter := true
	for _, a := range answers {
		if a.err != nil {
			b.Fatal(a.err)
		}
		statuses[a.status]++
		if a.status == http.StatusTooManyRequests && a.retryAfter == "" {
			retryAfter = false
		}
	}
	return statuses, retryAfter
}

// statusSummary lists the answers by status, e.g. "38 × 401, 162 × 429".
func statusSummary(statuses map[int]int) string {
	var parts []string
	for _, code := range []int{http.StatusSeeOther, http.StatusUnauthorized, http.StatusTooManyRequests} {
		if n := statuses[code]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d × %d", n, code))
			delete(statuses, code)
		}
	}
	for code, n := range statuses {
		parts = append(parts, fmt.Sprintf("%d × %d", n, code))
	}
	return strings.Join(parts, ", ")
}
