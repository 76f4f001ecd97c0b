package bench

import (
	"flag"
	"os"
	"testing"

	"github.com/attesthq/attest/internal/testdb"
)

// TestMain runs the benchmarks, or, when the parent benchmark re-executes
// this binary with ATTEST_BENCH_SIMULATOR (or ATTEST_BENCH_GITHUBSIM) set,
// serves the Entra (or GitHub) simulator in its own process so its memory
// is not counted as attest's. Running benchmarks, it reserves huge pages
// for the cluster's shared memory for as long as they run (see
// reserveHugePages).
func TestMain(m *testing.M) {
	if spec := os.Getenv(simulatorEnv); spec != "" {
		serveSimulator(spec)
		return
	}
	if os.Getenv(githubSimulatorEnv) != "" {
		serveGitHubSimulator()
		return
	}
	flag.Parse()
	release := func() {}
	if flag.Lookup("test.bench").Value.String() != "" {
		release = reserveHugePages()
	}
	code := testdb.Run(m)
	release()
	os.Exit(code)
}
