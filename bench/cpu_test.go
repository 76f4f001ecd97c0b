package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// clockTicks is Linux's USER_HZ, the unit of /proc/<pid>/stat's times.
const clockTicks = 100

// cpuMeter measures the CPU time spent between its start and a reading, by
// this process (server, load generator and Go runtime: everything the
// benchmark runs in process) and by the PostgreSQL cluster (the postmaster
// and every backend, those that exit during the measurement included, which
// the postmaster's reaped-children times carry).
type cpuMeter struct {
	postmaster int
	process    time.Duration
	postgres   time.Duration
}

// cpuUse is what a cpuMeter read.
type cpuUse struct {
	Process, PostgreSQL time.Duration
}

// startCPU starts measuring; pool is any pool on the cluster, through which
// the postmaster is found (the parent of a backend).
func startCPU(b *testing.B, pool *pgxpool.Pool) *cpuMeter {
	b.Helper()
	var backend int
	if err := pool.QueryRow(context.Background(), `SELECT pg_backend_pid()`).Scan(&backend); err != nil {
		b.Fatalf("find a backend: %v", err)
	}
	st, err := procStat(backend)
	if err != nil {
		b.Fatalf("read the backend's parent: %v", err)
	}
	m := &cpuMeter{postmaster: st.ppid}
	m.process, m.postgres = processCPU(), m.clusterCPU()
	return m
}

// read is the CPU time spent since the meter started.
func (m *cpuMeter) read() cpuUse {
	return cpuUse{Process: processCPU() - m.process, PostgreSQL: m.clusterCPU() - m.postgres}
}

// per is the use divided over n operations, in milliseconds, as a table
// cell: "1.23 ms (process 0.80, PostgreSQL 0.43)".
func (u cpuUse) per(n int) string {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(max(n, 1)) }
	return fmt.Sprintf("%.3f ms (process %.3f, PostgreSQL %.3f)", ms(u.Process+u.PostgreSQL), ms(u.Process), ms(u.PostgreSQL))
}

// add is the sum of two uses.
func (u cpuUse) add(v cpuUse) cpuUse {
	return cpuUse{Process: u.Process + v.Process, PostgreSQL: u.PostgreSQL + v.PostgreSQL}
}

// perRun is the use divided over n runs, in seconds, as a table cell.
func (u cpuUse) perRun(n int) string {
	return cpuUse{Process: u.Process / time.Duration(max(n, 1)), PostgreSQL: u.PostgreSQL / time.Duration(max(n, 1))}.seconds()
}

// seconds is the use as a table cell: "4.2 s (process 3.1, PostgreSQL 1.1)".
func (u cpuUse) seconds() string {
	return fmt.Sprintf("%.2f s (process %.2f, PostgreSQL %.2f)", (u.Process + u.PostgreSQL).Seconds(), u.Process.Seconds(), u.PostgreSQL.Seconds())
}

// report records the use as benchmark metrics, per operation.
func (u cpuUse) report(b *testing.B, prefix string, n int) {
	b.ReportMetric(u.Process.Seconds()/float64(max(n, 1)), prefix+"process-cpu-s/op")
	b.ReportMetric(u.PostgreSQL.Seconds()/float64(max(n, 1)), prefix+"postgres-cpu-s/op")
}

// processCPU is this process's user and system time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// clusterCPU is the postmaster's time, its reaped children's and its live
// children's.
func (m *cpuMeter) clusterCPU() time.Duration {
	total := time.Duration(0)
	if st, err := procStat(m.postmaster); err == nil {
		total += st.own + st.children
	}
	for _, c := range m.children() {
		total += c.own
	}
	return total
}

// pageFaults is how many minor page faults the cluster's live backends and
// workers have taken: a process's first touch of each 4 KiB page of the
// shared buffer cache is one (a 2 MiB huge page covers 512).
func (m *cpuMeter) pageFaults() int {
	total := 0
	for _, c := range m.children() {
		total += c.minorFaults
	}
	return total
}

// storageRead is how many MiB the cluster's live processes have read from
// storage (/proc/<pid>/io read_bytes: what the page cache served is not
// counted).
func (m *cpuMeter) storageRead() float64 {
	total := 0.0
	for _, c := range m.children() {
		raw, err := os.ReadFile("/proc/" + strconv.Itoa(c.pid) + "/io")
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(raw), "\n") {
			if v, ok := strings.CutPrefix(line, "read_bytes: "); ok {
				n, _ := strconv.ParseFloat(v, 64)
				total += n / (1 << 20)
			}
		}
	}
	return total
}

// children are the postmaster's live children.
func (m *cpuMeter) children() []stat {
	var out []stat
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, err := strconv.Atoi(filepath.Base(d))
		if err != nil {
			continue
		}
		if st, err := procStat(pid); err == nil && st.ppid == m.postmaster {
			out = append(out, st)
		}
	}
	return out
}

// stat is what the benchmarks read of /proc/<pid>/stat.
type stat struct {
	pid, ppid int
	// minorFaults counts the page faults served without reading storage.
	minorFaults int
	// own is the process's user and system time; children is that of its
	// children it has waited for.
	own, children time.Duration
}

func procStat(pid int) (stat, error) {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return stat{}, err
	}
	// The command name is in parentheses and may hold spaces: fields are
	// counted after its closing parenthesis (field 3, state, first).
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 15 {
		return stat{}, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	n := func(i int) int { v, _ := strconv.Atoi(f[i]); return v }
	tick := func(i int) time.Duration { return time.Duration(n(i)) * time.Second / clockTicks }
	// Fields 4 (ppid), 10 (minflt) and 14 to 17 (utime, stime, cutime,
	// cstime), counted from 1, are f[1], f[7] and f[11] to f[14].
	return stat{pid: pid, ppid: n(1), minorFaults: n(7), own: tick(11) + tick(12), children: tick(13) + tick(14)}, nil
}
