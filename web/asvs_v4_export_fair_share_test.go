package web_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/webtest"
)

// ASVS 4 (access control) / 11.1.4 (anti-automation, resource limits): one
// organization's downloads cannot take the server's database connections
// from every other organization.

const exportPath = "/o/acme/evidence/export?kind=" + entra.KindUser

// seedBulkEvidence syncs acme once and copies its user records into rows
// copies with long labels: an export of some megabytes, more than the
// kernel's socket buffers hold, so a client that stops reading holds the
// export (and, without limits, its database connection) for good.
func seedBulkEvidence(t *testing.T, b *bundle, owner *webtest.Client, copies int) {
	t.Helper()
	b.connectAndSync(t, owner)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, b.tdb.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	_, err = admin.Exec(ctx, `
		INSERT INTO evidence (org_id, connection_id, kind, schema_version, subject_key, subject_label, payload,
		                      fingerprint, observed_at, collected_at, first_run_id)
		SELECT e.org_id, e.connection_id, e.kind, e.schema_version, e.subject_key || '/' || g, e.subject_label || repeat('x', 2000),
		       e.payload, sha256(e.fingerprint || int4send(g)), e.observed_at, e.collected_at, e.first_run_id
		FROM evidence e CROSS JOIN generate_series(1, $2) g
		WHERE e.org_id = $1 AND e.kind = $3`, b.org.ID, copies, entra.KindUser)
	require.NoError(t, err)
}

// stallingClient is a browser sharing c's session whose connections read
// almost nothing: a tiny receive buffer, and the tests read a few bytes and
// stop. Its requests give up waiting for headers after 10 s, so a server
// that cannot answer fails the test instead of hanging it.
func stallingClient(c *webtest.Client) *http.Client {
	dialer := &net.Dialer{Control: func(_, _ string, raw syscall.RawConn) error {
		var err error
		if cerr := raw.Control(func(fd uintptr) {
			err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		}); cerr != nil {
			return cerr
		}
		return err
	}}
	return &http.Client{Jar: c.HTTP.Jar, Transport: &http.Transport{
		DialContext: dialer.DialContext, ResponseHeaderTimeout: 10 * time.Second, DisableKeepAlives: true,
	}}
}

// stall starts a download and reads its first bytes (returned), then stops
// reading. The body stays open until the test ends.
func stall(t *testing.T, hc *http.Client, url string) (*http.Response, []byte) {
	t.Helper()
	res, err := hc.Get(url)
	require.NoError(t, err)
	t.Cleanup(func() { res.Body.Close() })
	head := make([]byte, 16)
	if res.StatusCode == http.StatusOK {
		_, err = io.ReadFull(res.Body, head)
		require.NoError(t, err)
	}
	return res, head
}

// The review's probe: twenty clients that stop reading one organization's
// export. Two are served (the organization's share), the other eighteen are
// told to come back later; another organization's dashboard and /readyz
// still answer at once.
func TestSlowExportReadersCannotStarveOtherOrganizations(t *testing.T) {
	t.Parallel()
	b := setupWith(t, map[string]string{"ATTEST_EXPORTS_MAX": "3", "ATTEST_EXPORTS_PER_ORG": "2"})
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	seedBulkEvidence(t, b, owner, 150)

	other, err := b.accounts.CreateOrg(context.Background(), "Beta Inc", "beta", audit.SystemActor("test"))
	require.NoError(t, err)
	b.member(t, other.ID, "owner@beta.test", ownerPassword, account.RoleOwner, nil)
	beta := b.client(t)
	beta.Login("owner@beta.test", ownerPassword)

	hc := stallingClient(owner)
	responses := make([]*http.Response, 20)
	errs := make([]error, 20)
	var wg sync.WaitGroup
	for i := range responses {
		wg.Go(func() { responses[i], errs[i] = hc.Get(b.srv.URL + exportPath) })
	}
	wg.Wait()
	for _, res := range responses {
		if res != nil {
			t.Cleanup(func() { res.Body.Close() })
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, probe := range []struct {
		c    *http.Client
		path string
	}{{beta.HTTP, "/o/beta/"}, {http.DefaultClient, "/readyz"}, {beta.HTTP, "/o/beta/evidence/export?kind=" + entra.KindUser}} {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.srv.URL+probe.path, nil)
		require.NoError(t, err)
		res, err := probe.c.Do(req)
		require.NoError(t, err, "%s must answer while acme's downloads stall", probe.path)
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		require.Equal(t, http.StatusOK, res.StatusCode, probe.path)
	}

	var codes []int
	served, refused := 0, 0
	for i, res := range responses {
		require.NoError(t, errs[i], "every download is answered at once, served or refused")
		codes = append(codes, res.StatusCode)
		switch res.StatusCode {
		case http.StatusOK:
			_, err := io.ReadFull(res.Body, make([]byte, 16)) // then stop reading
			require.NoError(t, err)
			served++
		case http.StatusTooManyRequests:
			require.Equal(t, "30", res.Header.Get("Retry-After"))
			refused++
		}
	}
	require.Equal(t, 2, served, "the organization's share of downloads: %v", codes)
	require.Equal(t, 18, refused, "the rest are refused, not queued: %v", codes)
}

// A client that stops reading is cut off once the idle timeout passes: its
// download fails (it never looks complete), and the database connection and
// the organization's only place are given back.
func TestStalledExportIsCutOffAfterTheIdleTimeout(t *testing.T) {
	t.Parallel()
	// The idle timeout also bounds every write of the small download below:
	// a second leaves room for a machine loaded by the race detector.
	b := setupWith(t, map[string]string{"ATTEST_EXPORTS_PER_ORG": "1", "ATTEST_EXPORT_IDLE_TIMEOUT": "1s"})
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	seedBulkEvidence(t, b, owner, 150)

	res, _ := stall(t, stallingClient(owner), b.srv.URL+exportPath)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Eventually(t, func() bool {
		return strings.Contains(b.logs.String(), `"msg":"download failed"`)
	}, 10*time.Second, 20*time.Millisecond, "the stalled download is cut off")
	require.Contains(t, b.logs.String(), "i/o timeout")
	_, err := io.ReadAll(res.Body)
	require.True(t, errors.Is(err, io.ErrUnexpectedEOF), "a cut download ends abruptly: %v", err)

	// A small download (no record in the range) now fits the organization's
	// single place.
	next := owner.Get(exportPath + "&from=2000-01-01&to=2000-01-02")
	require.Equal(t, http.StatusOK, next.StatusCode, "the place is free again")
	_, records := parseCSV(t, next.Body)
	require.Empty(t, records)
}

// Every download route draws on the same places: while an evidence export
// holds the organization's only one, the assessment's CSV and ZIP are
// refused too.
func TestEveryDownloadRouteSharesTheOrganizationsPlaces(t *testing.T) {
	t.Parallel()
	b := setupWith(t, map[string]string{"ATTEST_EXPORTS_PER_ORG": "1"})
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	seedBulkEvidence(t, b, owner, 150)
	assessment := b.createAssessment(t, owner, "FY26 SOC 2")

	res, _ := stall(t, stallingClient(owner), b.srv.URL+exportPath)
	require.Equal(t, http.StatusOK, res.StatusCode)
	for _, path := range []string{assessment + "/export?kind=" + entra.KindUser, assessment + "/export.zip", exportPath} {
		r := owner.Get(path)
		require.Equal(t, http.StatusTooManyRequests, r.StatusCode, path)
		require.Equal(t, "30", r.Header.Get("Retry-After"), path)
	}
}

// A download outlasts the pool's statement and idle-transaction limits (it
// raises its own): here its query is kept running well past them by a
// client that stops reading, and still delivers every record once the
// client reads on.
func TestLongExportOutlastsThePoolsStatementLimits(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	seedBulkEvidence(t, b, owner, 150)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, b.tdb.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	var want int
	require.NoError(t, admin.QueryRow(ctx, `SELECT count(*) FROM evidence WHERE kind = $1`, entra.KindUser).Scan(&want))
	login, err := url.Parse(b.tdb.AppURL)
	require.NoError(t, err)
	for _, setting := range []string{"statement_timeout", "idle_in_transaction_session_timeout"} {
		_, err = admin.Exec(ctx, `DO $$ BEGIN EXECUTE format('ALTER ROLE %I IN DATABASE %I SET `+setting+` = ''300ms''', '`+
			login.User.Username()+`', current_database()); END $$`)
		require.NoError(t, err)
	}
	b.tdb.Pool.Reset()
	_, err = b.tdb.Pool.Exec(ctx, `SELECT pg_sleep(0.6)`)
	require.ErrorContains(t, err, "statement timeout", "the pool's connections now have the short limit")

	res, head := stall(t, stallingClient(owner), b.srv.URL+exportPath)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Eventually(t, func() bool {
		var running bool
		err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
			AND usename = $1 AND query LIKE '%FROM evidence e%' AND now() - query_start > interval '600ms')`, login.User.Username()).Scan(&running)
		return err == nil && running
	}, 10*time.Second, 20*time.Millisecond, "the export's query runs past the pool's limit")
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err, "the download is complete")
	_, records := parseCSV(t, append(head, body...))
	require.Len(t, records, want)
}
