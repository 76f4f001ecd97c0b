package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/attesthq/attest/internal/githubsim"
)

const githubSimulatorEnv = "ATTEST_BENCH_GITHUBSIM"

// githubScale is issue 17's organization: with the demo organization's own
// 7 repositories, 6 members and 5 alerts, 2,000 repositories, 5,000
// members and 10,000 open alerts (and one fixed).
var githubScale = githubsim.Size{Repos: 1993, Members: 4994, Alerts: 9996}

// githubBudget is the child simulator's primary budget of the demo
// installation.
type githubBudget struct {
	Limit int `json:"limit"`
	Used  int `json:"used"`
}

// startGitHubSimulator re-executes the benchmark binary as a GitHub
// simulator serving githubScale under /_githubsim, and returns its origin.
func startGitHubSimulator(b *testing.B) string {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), githubSimulatorEnv+"=1")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		b.Fatalf("github simulator did not start: %v", err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return strings.TrimSpace(line)
}

// githubBudgetOf reads the child simulator's budget counters of an
// installation.
func githubBudgetOf(b *testing.B, origin string, installation int64) githubBudget {
	b.Helper()
	resp, err := http.Get(origin + "/budget?installation=" + strconv.FormatInt(installation, 10))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var bu githubBudget
	if err := json.NewDecoder(resp.Body).Decode(&bu); err != nil {
		b.Fatal(err)
	}
	return bu
}

// serveGitHubSimulator is the child process: it prints its origin, then
// serves the simulator and its budget.
func serveGitHubSimulator() {
	sim := githubsim.New(githubsim.Options{BasePath: "/_githubsim", Org: githubsim.DefaultOrg(time.Now(), githubScale)})
	mux := http.NewServeMux()
	mux.Handle("/_githubsim/", sim)
	mux.HandleFunc("/budget", func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.ParseInt(r.URL.Query().Get("installation"), 10, 64)
		limit, used, _ := sim.RateLimit(id)
		_ = json.NewEncoder(w).Encode(githubBudget{Limit: limit, Used: used})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	_ = (&http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}).Serve(ln)
}
