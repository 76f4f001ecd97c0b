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

	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/synctest"
)

const simulatorEnv = "ATTEST_BENCH_SIMULATOR"

// simulator is a simulator running in a child process.
type simulator struct {
	URL string
	cmd *exec.Cmd
}

// startSimulator re-executes the benchmark binary as a simulator serving a
// tenant of the given size.
func startSimulator(b *testing.B, users int, throttle bool) *simulator {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d,%t", simulatorEnv, users, throttle))
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
		b.Fatalf("simulator did not start: %v", err)
	}
	s := &simulator{URL: strings.TrimSpace(line), cmd: cmd}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return s
}

// stats reads the child simulator's request counters.
func (s *simulator) stats(b *testing.B) entrasim.Stats {
	b.Helper()
	resp, err := http.Get(s.URL + "/stats")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var st entrasim.Stats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		b.Fatal(err)
	}
	return st
}

// serveSimulator is the child process: it prints its URL, then serves.
func serveSimulator(spec string) {
	usersText, throttleText, _ := strings.Cut(spec, ",")
	users, _ := strconv.Atoi(usersText)
	tenant := entrasim.DefaultTenant()
	tenant.Size.Users = users
	sim := synctest.NewSimulator(tenant, throttleText == "true", time.Now)
	mux := http.NewServeMux()
	mux.Handle("/sim/", sim)
	mux.HandleFunc("/stats", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(sim.Tenant(entrasim.DefaultTenantID).Stats())
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	_ = (&http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}).Serve(ln)
}
