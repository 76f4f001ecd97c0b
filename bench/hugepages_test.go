package bench

import (
	"os"
	"strconv"
	"strings"
)

// clusterHugePages is how many 2 MiB huge pages the benchmark cluster's
// shared memory takes: its 512 MB buffer cache and, for 400 connections,
// the rest of its shared state.
const clusterHugePages = 320

// nrHugePages is the kernel's count of reserved huge pages.
const nrHugePages = "/proc/sys/vm/nr_hugepages"

// reserveHugePages reserves huge pages for the benchmark cluster, which
// PostgreSQL (huge_pages=try, its default) then maps its shared memory
// with, as its documentation advises for a large shared_buffers and as
// managed services do. Without them each new backend faults the buffer
// cache in 4 KiB at a time: the export's first download took 99,435 page
// faults, 1.9 s of PostgreSQL CPU on this machine, against 3,914 with huge
// pages. It needs root; without it the benchmarks run on 4 KiB pages and
// their reports say so. release restores the previous reservation.
func reserveHugePages() (release func()) {
	old, err := os.ReadFile(nrHugePages)
	if err != nil {
		return func() {}
	}
	if n, _ := strconv.Atoi(strings.TrimSpace(string(old))); n >= clusterHugePages {
		return func() {}
	}
	if err := os.WriteFile(nrHugePages, []byte(strconv.Itoa(clusterHugePages)), 0); err != nil {
		return func() {}
	}
	return func() { _ = os.WriteFile(nrHugePages, old, 0) }
}

// sharedMemoryPages names the page size PostgreSQL's shared memory is in:
// huge pages when some are in use or reserved for a mapping.
func sharedMemoryPages() string {
	raw, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return "unknown pages"
	}
	field := func(name string) int {
		for _, line := range strings.Split(string(raw), "\n") {
			if v, ok := strings.CutPrefix(line, name+":"); ok {
				n, _ := strconv.Atoi(strings.TrimSpace(v))
				return n
			}
		}
		return 0
	}
	if total := field("HugePages_Total"); total > 0 && total-field("HugePages_Free")+field("HugePages_Rsvd") > 0 {
		return "2 MiB huge pages"
	}
	return "4 KiB pages (no huge pages reserved)"
}
