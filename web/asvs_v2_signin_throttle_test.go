package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/auth"
)

// burstResult is what one sign-in of a burst got back.
type burstResult struct {
	status     int
	retryAfter string
	err        error
}

// signInBurst sends n sign-ins at once, the i-th for email(i), each with
// the form token of one loaded sign-in page, and returns the answers.
func signInBurst(t *testing.T, b *bundle, n int, email func(i int) string, password string) []burstResult {
	t.Helper()
	c := b.client(t)
	c.Get("/login")
	cookies := c.Cookies()
	results := make([]burstResult, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			form := url.Values{"_csrf": {c.CSRF}, "email": {email(i)}, "password": {password}}.Encode()
			req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, b.srv.URL+"/login", strings.NewReader(form))
			if err != nil {
				results[i].err = err
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for _, ck := range cookies {
				req.AddCookie(ck)
			}
			<-start
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				results[i].err = err
				return
			}
			_ = resp.Body.Close()
			results[i] = burstResult{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
		})
	}
	close(start)
	wg.Wait()
	return results
}

// requireBoundedBurst checks a burst's answers: no more evaluated (401) than
// lockAfter, exactly one hash per evaluated attempt, and every other attempt
// a 429 with a Retry-After of at least a second.
func requireBoundedBurst(t *testing.T, results []burstResult, hashes int64, lockAfter int) int {
	t.Helper()
	evaluated := 0
	for _, r := range results {
		require.NoError(t, r.err)
		switch r.status {
		case http.StatusUnauthorized:
			evaluated++
		case http.StatusTooManyRequests:
			secs, err := strconv.Atoi(r.retryAfter)
			require.NoError(t, err, "Retry-After %q", r.retryAfter)
			require.GreaterOrEqual(t, secs, 1)
		default:
			t.Fatalf("unexpected status %d", r.status)
		}
	}
	require.Positive(t, evaluated)
	require.LessOrEqual(t, evaluated, lockAfter)
	require.Equal(t, int64(evaluated), hashes, "one hash per evaluated attempt, none for the refused")
	return evaluated
}

// ASVS 2.2.1: the anti-automation limit holds under concurrency. 40 wrong
// passwords for one account sent at once: the attempts are reserved under a
// lock before any hashing, so at most the lock threshold are evaluated (in
// practice the slow-down threshold) and the rest get 429 with Retry-After
// without a hash.
func TestConcurrentWrongPasswordsAreThrottledBeforeHashing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	before := b.hasher.Checks()
	results := signInBurst(t, b, 40, func(int) string { return ownerEmail }, "wrong guess, sent 40 times")
	evaluated := requireBoundedBurst(t, results, b.hasher.Checks()-before, auth.DefaultThrottle.AccountLockAfter)
	// Each evaluated attempt is recorded and audited once, none more.
	require.Equal(t, evaluated, countOf(b.auditActions(t, b.org.ID), "auth.login_failed"))
	var failures int
	require.NoError(t, b.tdb.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM login_attempts WHERE email = $1 AND NOT succeeded`, ownerEmail).Scan(&failures))
	require.Equal(t, evaluated, failures)

	// The account is still throttled right after: even the right password
	// is not evaluated.
	c := b.client(t)
	c.Get("/login")
	r := c.Post("/login", url.Values{"email": {ownerEmail}, "password": {ownerPassword}})
	require.Equal(t, http.StatusTooManyRequests, r.StatusCode)
	require.NotEmpty(t, r.Header.Get("Retry-After"))
	require.Equal(t, int64(evaluated), b.hasher.Checks()-before)
}

// ASVS 2.2.1: an unknown email is throttled the same way, and each of its
// evaluated attempts costs one (dummy) hash through the same slots, as a
// known account's does.
func TestConcurrentSignInsForAnUnknownEmailAreThrottledBeforeHashing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	before := b.hasher.Checks()
	results := signInBurst(t, b, 40, func(int) string { return "nobody@acme.test" }, "wrong guess, sent 40 times")
	requireBoundedBurst(t, results, b.hasher.Checks()-before, auth.DefaultThrottle.AccountLockAfter)
}

// ASVS 2.2.1: the per-address limit holds under concurrency too: 80
// sign-ins for 80 different emails from one address, sent at once, are
// evaluated no further than the address threshold allows.
func TestConcurrentSignInsFromOneAddressAreThrottledBeforeHashing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	before := b.hasher.Checks()
	results := signInBurst(t, b, 80, func(i int) string { return fmt.Sprintf("guess%d@acme.test", i) }, "wrong guess")
	evaluated := requireBoundedBurst(t, results, b.hasher.Checks()-before, auth.DefaultThrottle.IPLockAfter)
	require.LessOrEqual(t, evaluated, auth.DefaultThrottle.IPSlowAfter)
}
