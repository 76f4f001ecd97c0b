package bench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// resetPeakRSS starts a new peak-RSS measurement (Linux clear_refs 5).
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// settle returns the memory earlier work freed (baselines, earlier syncs,
// an earlier benchmark's server) to the operating system and restarts the
// high-water mark, so a measurement's peak RSS is its own: pages the runtime
// freed but still held would otherwise set its floor (70 MiB before the
// third first sync; 50 MiB before the export when it follows the dashboard).
func settle() {
	debug.FreeOSMemory()
	resetPeakRSS()
}

// checkpoint writes out the buffers earlier work left dirty, so that a
// measured run does not pay for them: PostgreSQL writes them when a
// checkpoint falls due (every 1 GB of WAL) or a backend needs their buffers,
// which lands the cost of one run's writes, or of the COPY baseline's, on
// whichever run comes next. admin connects as the cluster's administrator.
func checkpoint(b *testing.B, admin *pgxpool.Pool) {
	b.Helper()
	if _, err := admin.Exec(context.Background(), `CHECKPOINT`); err != nil {
		b.Fatalf("checkpoint: %v", err)
	}
}

// peakRSS is the process's resident-set high-water mark in MiB.
func peakRSS() float64 { return procStatusMiB("VmHWM:") }

// currentRSS is the process's resident set in MiB.
func currentRSS() float64 { return procStatusMiB("VmRSS:") }

// procStatusMiB reads one kB figure of /proc/self/status, in MiB.
func procStatusMiB(field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), field); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// machine describes where the benchmark ran.
func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		fields := strings.Fields(strings.SplitN(string(b), "\n", 2)[0])
		if len(fields) >= 2 {
			kb, _ := strconv.ParseFloat(fields[1], 64)
			mem = fmt.Sprintf(", %.0f GiB RAM", kb/1024/1024)
		}
	}
	return fmt.Sprintf("%s, %d cores%s, %s; PostgreSQL's shared memory in %s", cpu, runtime.NumCPU(), mem, runtime.Version(), sharedMemoryPages())
}

// report appends a section to bench/results.md and logs it.
func report(b *testing.B, title string, lines []string) {
	b.Helper()
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n## %s — %s\n\nMachine: %s\n\n", title, time.Now().UTC().Format("2006-01-02 15:04 UTC"), machine())
	for _, l := range lines {
		sb.WriteString(l + "\n")
	}
	path := filepath.Join(".", "results.md")
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(sb.String()); err != nil {
		b.Fatal(err)
	}
	b.Log(sb.String())
}

// verdict marks a figure against its target.
func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}
