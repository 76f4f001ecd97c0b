package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/testdb"
	"github.com/attesthq/attest/jobs"
)

// Scheduler benchmark shape (issue 8): each organization has schedDue
// connections due for a sync and schedNotDue synced recently.
const (
	schedOrgs   = 1_000
	schedDue    = 10
	schedNotDue = 2
	// schedBatch is the scheduler's page size (jobs.schedulerBatch).
	schedBatch = 1_000
)

// BenchmarkScheduler times jobs.Schedule finding and enqueuing the syncs of
// 10,000 due connections across 1,000 organizations (12,000 connections),
// through the production pool with a tracer counting every statement it
// sends, and then a second pass that finds them all queued already.
func BenchmarkScheduler(b *testing.B) {
	ctx := context.Background()
	tdb := testdb.New(b)
	seedDue(b, tdb)
	counter := &statementCounter{}
	pool, err := db.Open(ctx, tdb.URL, db.Options{AppURL: tdb.AppURL, MaxConns: 20}, func(c *pgxpool.Config) { c.ConnConfig.Tracer = counter })
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	client, _, err := jobs.NewClient(jobs.Deps{Pool: pool, Clock: clock.Real{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))},
		jobs.Config{SyncTimeout: time.Minute, RescueAfter: 2 * time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	due := schedOrgs * schedDue
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		if _, err := tdb.Pool.Exec(ctx, `DELETE FROM river_job`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cpu := startCPU(b, tdb.Pool) // not through the traced pool
		first := schedulePass(b, pool, client, counter)
		firstCPU := cpu.read()
		cpu = startCPU(b, tdb.Pool)
		repeat := schedulePass(b, pool, client, counter)
		repeatCPU := cpu.read()
		firstCPU.report(b, "first-pass-", 1)
		if first.enqueued != due || repeat.enqueued != 0 {
			b.Fatalf("enqueued %d then %d syncs, want %d then 0", first.enqueued, repeat.enqueued, due)
		}
		var queued int
		if err := tdb.Pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'sync_connection'`).Scan(&queued); err != nil {
			b.Fatal(err)
		}
		if queued != due {
			b.Fatalf("%d sync jobs queued, want %d", queued, due)
		}
		b.ReportMetric(first.took.Seconds(), "schedule-s")
		b.ReportMetric(first.perBatch(), "statements/batch")
		lines := []string{
			fmt.Sprintf("%d due connections (and %d synced recently) across %d organizations; `jobs.Schedule` pages through "+
				"`system_ids('due_connection', …)` %d ids at a time and enqueues each page with one River `InsertManyTx`, "+
				"on the production pool; a pgx tracer counts every statement it sends. The repeat pass finds every sync queued already "+
				"(unique per connection) and enqueues none.", due, schedOrgs*schedNotDue, schedOrgs, schedBatch),
			"",
			"| measure | first pass | repeat pass | target |",
			"|---|---|---|---|",
			fmt.Sprintf("| syncs enqueued | %d | %d | |", first.enqueued, repeat.enqueued),
			fmt.Sprintf("| time | %.2f s | %.2f s | < 5 s: %s |", first.took.Seconds(), repeat.took.Seconds(), verdict(first.took < 5*time.Second && repeat.took < 5*time.Second)),
			fmt.Sprintf("| CPU | %s | %s | |", firstCPU.seconds(), repeatCPU.seconds()),
			fmt.Sprintf("| batches (transactions) | %d | %d | |", first.batches(), repeat.batches()),
			fmt.Sprintf("| statements | %d (%s) | %d (%s) | |", first.total(), first.breakdown(), repeat.total(), repeat.breakdown()),
			fmt.Sprintf("| statements per batch | %.1f | %.1f | one listing and at most one insert per batch, none per organization: %s |",
				first.perBatch(), repeat.perBatch(), verdict(first.onePerBatch() && repeat.onePerBatch())),
		}
		report(b, "Scheduler: 10,000 due connections across 1,000 organizations", lines)
	}
}

// schedPass is what one jobs.Schedule call did.
type schedPass struct {
	enqueued int
	took     time.Duration
	counts   map[string]int
}

func (p schedPass) batches() int { return p.counts["begin"] }

func (p schedPass) total() int {
	n := 0
	for _, c := range p.counts {
		n += c
	}
	return n
}

func (p schedPass) perBatch() float64 { return float64(p.total()) / float64(max(1, p.batches())) }

// onePerBatch reports whether each batch listed its due connections with
// one query and enqueued them with at most one (the rest of the statements
// are the transactions' own and a fixed few of the driver's).
func (p schedPass) onePerBatch() bool {
	return p.counts["list due ids"] == p.batches() && p.counts["insert jobs"] <= p.batches()
}

// breakdown lists the statements by kind.
func (p schedPass) breakdown() string {
	var parts []string
	for _, kind := range statementKinds {
		if n := p.counts[kind]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, kind))
		}
	}
	return strings.Join(parts, ", ")
}

// schedulePass runs the scheduler once and counts its statements.
func schedulePass(b *testing.B, pool *pgxpool.Pool, client *river.Client[pgx.Tx], counter *statementCounter) schedPass {
	b.Helper()
	counter.reset()
	start := time.Now()
	n, err := jobs.Schedule(context.Background(), pool, client, clock.Real{})
	took := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	return schedPass{enqueued: n, took: took, counts: counter.snapshot()}
}

// statementKinds are the kinds statementCounter sorts statements into.
var statementKinds = []string{"begin", "list due ids", "insert jobs", "commit", "prepare", "other"}

// statementCounter is a pgx tracer that counts the statements sent, by
// kind, including statements prepared and those sent in a batch.
type statementCounter struct {
	mu     sync.Mutex
	counts map[string]int
}

func (c *statementCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts = map[string]int{}
}

func (c *statementCounter) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.counts))
	for k, v := range c.counts {
		out[k] = v
	}
	return out
}

func (c *statementCounter) add(kind string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts != nil {
		c.counts[kind]++
	}
}

// kindOf sorts a statement.
func kindOf(sql string) string {
	s := strings.ToLower(strings.TrimSpace(sql))
	switch {
	case strings.HasPrefix(s, "begin"):
		return "begin"
	case strings.HasPrefix(s, "commit"):
		return "commit"
	case strings.Contains(s, "system_ids("):
		return "list due ids"
	case strings.Contains(s, "river_job"):
		return "insert jobs"
	}
	return "other"
}

// TraceQueryStart implements pgx.QueryTracer.
func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	c.add(kindOf(data.SQL))
	return ctx
}

// TraceQueryEnd implements pgx.QueryTracer.
func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart implements pgx.BatchTracer.
func (c *statementCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

// TraceBatchQuery implements pgx.BatchTracer.
func (c *statementCounter) TraceBatchQuery(_ context.Context, _ *pgx.Conn, data pgx.TraceBatchQueryData) {
	c.add(kindOf(data.SQL))
}

// TraceBatchEnd implements pgx.BatchTracer.
func (c *statementCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// TracePrepareStart implements pgx.PrepareTracer.
func (c *statementCounter) TracePrepareStart(ctx context.Context, _ *pgx.Conn, _ pgx.TracePrepareStartData) context.Context {
	c.add("prepare")
	return ctx
}

// TracePrepareEnd implements pgx.PrepareTracer.
func (c *statementCounter) TracePrepareEnd(context.Context, *pgx.Conn, pgx.TracePrepareEndData) {}

// seedDue creates, as the cluster's administrator, schedOrgs organizations
// with schedDue connections each due for a sync (half never synced, half
// due an hour ago) and schedNotDue synced recently.
func seedDue(b *testing.B, tdb *testdb.DB) {
	b.Helper()
	ctx := context.Background()
	admin, err := pgxpool.New(ctx, tdb.AdminURL)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	err = pgx.BeginFunc(ctx, admin, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO organizations (id, slug, name)
			SELECT gen_random_uuid(), 'sched-' || g, 'Scheduler org ' || g FROM generate_series(1, $1::int) g`, schedOrgs); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO connections (org_id, connector, display_name, settings, identity_key, status, created_at, connected_at, next_sync_at)
			SELECT o.id, 'entra', 'Tenant ' || g, '{}', 'tenant-' || g, 'active', now() - interval '1 day', now() - interval '1 day',
			       CASE WHEN g > $1::int THEN now() + interval '30 minutes' WHEN g % 2 = 0 THEN now() - interval '1 hour' END
			FROM organizations o CROSS JOIN generate_series(1, $1::int + $2::int) g`, schedDue, schedNotDue)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := admin.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		b.Fatal(err)
	}
}
