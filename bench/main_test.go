package bench

import (
	"os"
	"testing"

	"github.com/attesthq/attest/internal/testdb"
)

// TestMain runs the benchmarks, or, when the parent benchmark re-executes
// this binary with ATTEST_BENCH_SIMULATOR (or ATTEST_BENCH_GITHUBSIM) set,
// serves the Entra (or GitHub) simulator in its own process so its memory
// is not counted as attest's.
func TestMain(m *testing.M) {
	if spec := os.Getenv(simulatorEnv); spec != "" {
		serveSimulator(spec)
		return
	}
	if os.Getenv(githubSimulatorEnv) != "" {
		serveGitHubSimulator()
		return
	}
	testdb.Main(m)
}
