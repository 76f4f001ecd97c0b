package bench

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3afero"
	"github.com/spf13/afero"

	"github.com/attesthq/attest/internal/account"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/document"
	"github.com/attesthq/attest/internal/webtest"
	"github.com/attesthq/attest/web"
)

// documentSize is the benchmark's document: the default size limit.
const documentSize = document.DefaultMaxBytes

// BenchmarkDocumentTransfer uploads and downloads one 25 MB document
// through the real handlers (multipart POST, then GET of the attachment),
// once with PostgreSQL storage and once with an S3-protocol bucket (gofakes3
// in this process, storing objects in files), and records throughput and
// the process's peak resident memory above the idle level for each. The
// client streams both ways, so the figures are the server's.
func BenchmarkDocumentTransfer(b *testing.B) {
	lines := []string{
		"`go test -run '^$' -bench BenchmarkDocumentTransfer -benchtime 1x ./bench/`: one " + fmt.Sprint(documentSize>>20) +
			" MiB PDF-typed file uploaded with the new-document form (multipart, streamed from a generator) and downloaded " +
			"as an attachment (streamed into SHA-256), over loopback HTTP. Peak RSS growth is the process's high-water mark " +
			"during the transfer minus its resident memory just before (server, client and, for the bucket, the fake S3 " +
			"server share the process; PostgreSQL runs in its own).",
		"",
		"| backend | step | time | throughput | CPU | peak RSS growth | target |",
		"|---|---|---|---|---|---|---|",
	}
	for _, backend := range []string{document.BackendPostgres, document.BackendS3} {
		var store document.Store
		if backend == document.BackendS3 {
			store = fakeBucketStore(b)
		}
		base, client, pool := documentServer(b, store)
		b.ResetTimer()
		for range b.N {
			var docPath string
			cpu := startCPU(b, pool)
			took, growth := measure(func() { docPath = uploadDocument(b, base, client) })
			lines = append(lines, transferLine(backend, "upload", took, cpu.read(), growth))
			cpu = startCPU(b, pool)
			took, growth = measure(func() { downloadDocument(b, base, client, docPath) })
			lines = append(lines, transferLine(backend, "download", took, cpu.read(), growth))
		}
	}
	report(b, "Documents: upload and download of a 25 MB file", lines)
}

func transferLine(backend, step string, took time.Duration, used cpuUse, growth float64) string {
	return fmt.Sprintf("| %s | %s | %.2f s | %.1f MiB/s | %s | %.1f MiB | < 16 MB: %s |", backend, step, took.Seconds(),
		float64(documentSize>>20)/took.Seconds(), used.seconds(), growth, verdict(growth*(1<<20) < 16e6))
}

// measure runs fn and returns its duration and the peak RSS growth (MiB).
func measure(fn func()) (time.Duration, float64) {
	runtime.GC()
	debug.FreeOSMemory()
	idle := currentRSS()
	resetPeakRSS()
	start := time.Now()
	fn()
	return time.Since(start), peakRSS() - idle
}

// fakeBucketStore serves an S3-protocol server in this process, keeping
// objects in files, and returns a store on its bucket.
func fakeBucketStore(b *testing.B) document.Store {
	b.Helper()
	fs, err := s3afero.MultiBucket(afero.NewBasePathFs(afero.NewOsFs(), b.TempDir()))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(fs).Server())
	b.Cleanup(srv.Close)
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("bench", "bench-secret", "")}
	store := document.NewS3Store(cfg, "attest-bench")
	if _, err := store.Client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("attest-bench")}); err != nil {
		b.Fatal(err)
	}
	return store
}

// documentServer runs attest's web server with the document service on
// store (nil: PostgreSQL) and returns its URL and a signed-in owner.
func documentServer(b *testing.B, store document.Store) (string, *webtest.Client, *pgxpool.Pool) {
	b.Helper()
	s := newWebServer(b, nil, benchArgon, func(s *webServer, deps *web.Deps) {
		deps.Documents = &document.Service{Pool: s.pool, Clock: s.clock, Store: store, MaxBytes: s.cfg.DocumentMaxBytes, TempDir: b.TempDir()}
	})
	pool, clk, hasher, srv := s.pool, s.clock, s.hasher, s.srv
	accounts := &account.Service{Pool: pool, Clock: clk}
	org, err := accounts.CreateOrg(context.Background(), "Bench", "bench", audit.SystemActor("bench"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := accounts.AddMember(context.Background(), hasher, org.ID, account.Member{Email: "owner@bench.test",
		Password: "bench passphrase 2026", Role: account.RoleOwner}, audit.SystemActor("bench")); err != nil {
		b.Fatal(err)
	}
	c := webtest.NewClient(b, srv.URL)
	c.Login("owner@bench.test", "bench passphrase 2026")
	c.Get("/o/bench/documents/new")
	return srv.URL, c, pool
}

// pdfBytes generates a PDF-typed body of n bytes without holding it.
type pdfBytes struct{ n, off int64 }

func (p *pdfBytes) Read(buf []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	buf = buf[:min(int64(len(buf)), p.n-p.off)]
	for i := range buf {
		buf[i] = byte('a' + (p.off+int64(i))%26)
	}
	if p.off == 0 {
		copy(buf, "%PDF-1.7\n")
	}
	p.off += int64(len(buf))
	return len(buf), nil
}

// uploadDocument posts the new-document form with the file streamed from a
// generator and returns the new document's path.
func uploadDocument(b *testing.B, base string, c *webtest.Client) string {
	b.Helper()
	owner := ownerID(b, c)
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for _, f := range [][2]string{{"_csrf", c.CSRF}, {"title", "Bench policy"}, {"owner", owner}, {"cadence", "yearly"}, {"criteria", "CC1.1"}} {
			_ = mw.WriteField(f[0], f[1])
		}
		w, err := mw.CreateFormFile("file", "bench.pdf")
		if err == nil {
			_, err = io.Copy(w, &pdfBytes{n: documentSize})
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPost, base+"/o/bench/documents", pr)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.HTTP.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	if res.StatusCode != http.StatusSeeOther {
		b.Fatalf("upload answered %d", res.StatusCode)
	}
	return res.Header.Get("Location")
}

// ownerID is the owner's id as the new-document form offers it.
func ownerID(b *testing.B, c *webtest.Client) string {
	b.Helper()
	id := c.Get("/o/bench/documents/new").Doc(b).Find(`select[name="owner"] option[selected]`).AttrOr("value", "")
	if id == "" {
		b.Fatal("no owner offered")
	}
	return id
}

// downloadDocument downloads the document's revision into SHA-256.
func downloadDocument(b *testing.B, base string, c *webtest.Client, path string) {
	b.Helper()
	href := c.Get(path).Doc(b).Find(`[data-testid="download"]`).AttrOr("href", "")
	res, err := c.HTTP.Get(base + href)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	h := sha256.New()
	n, err := io.Copy(h, res.Body)
	if err != nil || res.StatusCode != http.StatusOK || n != documentSize || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		b.Fatalf("download: %d, %d bytes, %v", res.StatusCode, n, err)
	}
}
