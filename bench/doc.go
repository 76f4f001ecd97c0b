// Package bench holds attest's performance benchmarks (make bench). Each
// benchmark runs its scenario once at full size, reports its figures with
// b.ReportMetric and appends them, with the machine and date, to
// bench/results.md. Targets are checked here, never in timed unit tests.
package bench
