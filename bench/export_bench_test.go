package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/synctest"
)

// exportRows is the export benchmark's size (issues 6 and 19).
const exportRows = 1_000_000

// BenchmarkExport downloads one organization's 1,000,000 user records as
// CSV through the real HTTP handler, as a signed-in user, reading the body
// as a client would, and measures rows per second and the process's peak
// resident memory during the download (server and client share the
// process, so the figure is an upper bound for the server).
func BenchmarkExport(b *testing.B) {
	e := synctest.New(b, synctest.Options{Start: time.Now()})
	seedExport(b, e)
	srv := dashboardServer(b, e)
	cookies := signIn(b, e, srv.URL)[0]
	url := srv.URL + "/o/" + e.Org.Slug + "/evidence/export?kind=" + entra.KindUser

	b.ResetTimer()
	for range b.N {
		settle()
		cpu := startCPU(b, e.DB.Pool)
		start := time.Now()
		lines, bytes := download(b, url, cookies)
		took := time.Since(start)
		used := cpu.read()
		rss := peakRSS()
		rows := lines - 1 // the header
		if rows != exportRows {
			b.Fatalf("exported %d rows, want %d", rows, exportRows)
		}
		rate := float64(rows) / took.Seconds()
		b.ReportMetric(rate, "rows/s")
		b.ReportMetric(rss, "peak-RSS-MiB")
		used.report(b, "", 1)
		report(b, "Export: 1,000,000 evidence rows as CSV", []string{
			fmt.Sprintf("GET /o/:org/evidence/export?kind=%s for an organization holding %d user records, through the real "+
				"handler over HTTP, body read to the end by a client in the same process; %.0f MiB of CSV. "+
				"Peak RSS is the whole process's high-water mark (server, client and Go runtime) during the download.",
				entra.KindUser, exportRows, float64(bytes)/(1<<20)),
			"",
			"| measure | value | target |",
			"|---|---|---|",
			fmt.Sprintf("| duration | %.1f s | |", took.Seconds()),
			fmt.Sprintf("| throughput | %.0f rows/s | ≥ 200,000: %s |", rate, verdict(rate >= 200_000)),
			fmt.Sprintf("| peak RSS | %.0f MiB | < 50 MB: %s |", rss, verdict(rss*(1<<20) < 50e6)),
			fmt.Sprintf("| CPU | %s | |", used.seconds()),
			fmt.Sprintf("| CPU per 1,000 rows | %s | |", used.per(rows/1000)),
		})
	}
}

// download reads the export to the end, counting CSV records by their
// CRLF terminators (no field of the seeded data holds a line break).
func download(b *testing.B, url string, cookies []*http.Cookie) (records, size int) {
	b.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d", url, res.StatusCode)
	}
	buf := make([]byte, 64<<10)
	for {
		n, err := res.Body.Read(buf)
		size += n
		records += bytes.Count(buf[:n], []byte{'\n'})
		if err == io.EOF {
			return records, size
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// seedExport syncs one connection for real, then, as the cluster's
// administrator, repeats its user records under new subjects until the
// organization holds exportRows of them.
func seedExport(b *testing.B, e *synctest.Env) {
	b.Helper()
	ctx := context.Background()
	conn, admin := syncedConnection(b, e)
	defer admin.Close()
	_, err := admin.Exec(ctx, `
		WITH tmpl AS (
			SELECT row_number() OVER (ORDER BY id) - 1 AS i, count(*) OVER () AS n, e.*
			FROM evidence e WHERE connection_id = $1 AND kind = $2)
		INSERT INTO evidence (org_id, connection_id, kind, schema_version, subject_key, subject_label, payload, fingerprint,
		                      observed_at, collected_at, first_run_id)
		SELECT t.org_id, t.connection_id, t.kind, t.schema_version, t.subject_key || '#' || g, t.subject_label, t.payload,
		       sha256(t.fingerprint || int4send(g)), t.observed_at, t.collected_at, t.first_run_id
		FROM generate_series(0, $3::int - 1) g
		JOIN tmpl t ON t.i = g % t.n
		WHERE g >= t.n`, conn, entra.KindUser, exportRows)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := admin.Exec(ctx, `VACUUM ANALYZE evidence`); err != nil {
		b.Fatal(err)
	}
}
