package main

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// startPgBouncer runs Debian's PgBouncer in transaction mode in front of the
// server appURL names and returns appURL rewritten to go through it. As root
// it runs as the postgres user, since PgBouncer refuses to run as root.
func startPgBouncer(t *testing.T, appURL string) string {
	t.Helper()
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		bin = "/usr/sbin/pgbouncer"
	}
	_, err = os.Stat(bin)
	require.NoError(t, err, "PgBouncer is not installed: apt-get install pgbouncer (.ci/run does)")

	app, err := url.Parse(appURL)
	require.NoError(t, err)
	password, _ := app.User.Password()
	dir, err := os.MkdirTemp("", "attest-pgbouncer-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	listen := freeLoopbackAddr(t)
	_, port, _ := net.SplitHostPort(listen)
	ini := fmt.Sprintf(`[databases]
* = host=%s port=%s

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %s
unix_socket_dir =
auth_type = plain
auth_file = %s
pool_mode = transaction
max_client_conn = 200
default_pool_size = 8
server_reset_query =
`, app.Hostname(), app.Port(), port, filepath.Join(dir, "users.txt"))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pgbouncer.ini"), []byte(ini), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "users.txt"),
		[]byte(strconv.Quote(app.User.Username())+" "+strconv.Quote(password)+"\n"), 0o600))

	cmd := exec.Command(bin, filepath.Join(dir, "pgbouncer.ini"))
	if os.Geteuid() == 0 {
		handToPostgres(t, dir, "pgbouncer.ini", "users.txt")
		cmd = exec.Command("runuser", "-u", "postgres", "--", bin, filepath.Join(dir, "pgbouncer.ini"))
	}
	log := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	// Its own process group, so that runuser's child goes with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	require.NoError(t, cmd.Start())
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
		if t.Failed() {
			t.Logf("pgbouncer's log:\n%s", log.String())
		}
	})
	waitFor(t, 30*time.Second, "PgBouncer to listen", func() bool {
		c, err := net.Dial("tcp", listen)
		if err == nil {
			c.Close()
		}
		return err == nil
	}, func() { t.Logf("pgbouncer's log:\n%s", log.String()) })

	pooled := *app
	pooled.Host = listen
	return pooled.String()
}

// handToPostgres gives dir and the named files in it to the postgres user.
func handToPostgres(t *testing.T, dir string, files ...string) {
	t.Helper()
	pg, err := user.Lookup("postgres")
	require.NoError(t, err, "the postgres user (from the PostgreSQL server package)")
	uid, _ := strconv.Atoi(pg.Uid)
	gid, _ := strconv.Atoi(pg.Gid)
	require.NoError(t, os.Chown(dir, uid, gid))
	for _, f := range files {
		require.NoError(t, os.Chown(filepath.Join(dir, f), uid, gid))
	}
}
