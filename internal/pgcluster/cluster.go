package pgcluster

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
)

// Options configures a cluster.
type Options struct {
	// Dir is the data directory. It is created and initialized when it holds
	// no cluster yet, and reused otherwise.
	Dir string
	// Password protects the postgres superuser; empty means trust authentication
	// (only for throwaway test clusters).
	Password string
	// Durable keeps fsync on. Test clusters turn it off for speed.
	Durable bool
	// MaxConnections is the server's connection limit (default 200).
	MaxConnections int
	// SharedBuffers is PostgreSQL's buffer cache, e.g. "512MB" (default: the
	// server's own default).
	SharedBuffers string
}

// Cluster is a running PostgreSQL server listening on 127.0.0.1.
type Cluster struct {
	opts   Options
	binDir string
	runAs  *user.User
	// Port is the TCP port on 127.0.0.1.
	Port int
}

// Start initializes the data directory if needed and starts the server. If a
// server is already running on that directory (left over from a crash), it is
// adopted.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	binDir, err := FindBinDir()
	if err != nil {
		return nil, err
	}
	if opts.MaxConnections == 0 {
		opts.MaxConnections = 200
	}
	c := &Cluster{opts: opts, binDir: binDir}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("pgcluster: running as root needs the postgres OS user (created by the PostgreSQL server package): %w", err)
		}
		c.runAs = u
	}
	if err := c.initIfEmpty(ctx); err != nil {
		return nil, err
	}
	if port, ok := c.runningPort(ctx); ok {
		c.Port = port
		return c, nil
	}
	if err := c.start(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// SuperuserURL is a connection URL for the postgres superuser and database db.
func (c *Cluster) SuperuserURL(db string) string {
	return c.URL("postgres", c.opts.Password, db)
}

// URL is a connection URL for role and database db on this cluster.
func (c *Cluster) URL(role, password, db string) string {
	u := url.URL{
		Scheme:   "postgres",
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.Port)),
		Path:     "/" + db,
		RawQuery: "sslmode=disable",
	}
	if password != "" {
		u.User = url.UserPassword(role, password)
	} else {
		u.User = url.User(role)
	}
	return u.String()
}

// Stop shuts the server down. Fast mode lets sessions roll back cleanly;
// immediate mode (for throwaway clusters) skips the shutdown checkpoint.
func (c *Cluster) Stop(ctx context.Context, immediate bool) error {
	mode := "fast"
	if immediate {
		mode = "immediate"
	}
	if out, err := c.run(ctx, "pg_ctl", "stop", "-D", c.opts.Dir, "-m", mode, "-w"); err != nil {
		return fmt.Errorf("pgcluster: stop: %w: %s", err, out)
	}
	return nil
}

func (c *Cluster) initIfEmpty(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(c.opts.Dir, "PG_VERSION")); err == nil {
		return nil
	}
	if err := os.MkdirAll(c.opts.Dir, 0o700); err != nil {
		return fmt.Errorf("pgcluster: create data directory: %w", err)
	}
	if err := c.chown(c.opts.Dir); err != nil {
		return err
	}
	args := []string{"-D", c.opts.Dir, "-U", "postgres", "-E", "UTF8", "--no-locale"}
	if !c.opts.Durable {
		args = append(args, "--no-sync")
	}
	if c.opts.Password != "" {
		pwFile, err := c.writePasswordFile()
		if err != nil {
			return err
		}
		defer os.Remove(pwFile)
		args = append(args, "--auth=scram-sha-256", "--pwfile="+pwFile)
	} else {
		args = append(args, "--auth=trust")
	}
	if out, err := c.run(ctx, "initdb", args...); err != nil {
		return fmt.Errorf("pgcluster: initdb: %w: %s", err, out)
	}
	return nil
}

func (c *Cluster) writePasswordFile() (string, error) {
	f, err := os.CreateTemp("", "attest-pgpw-")
	if err != nil {
		return "", fmt.Errorf("pgcluster: password file: %w", err)
	}
	defer f.Close()
	if _, err := f.WriteString(c.opts.Password + "\n"); err != nil {
		return "", fmt.Errorf("pgcluster: password file: %w", err)
	}
	return f.Name(), c.chown(f.Name())
}

func (c *Cluster) start(ctx context.Context) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	settings := []string{
		"-c listen_addresses=127.0.0.1",
		"-p " + strconv.Itoa(port),
		"-c unix_socket_directories=''",
		"-c max_connections=" + strconv.Itoa(c.opts.MaxConnections),
	}
	if !c.opts.Durable {
		settings = append(settings, "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off")
	}
	if c.opts.SharedBuffers != "" {
		settings = append(settings, "-c shared_buffers="+c.opts.SharedBuffers)
	}
	logFile := filepath.Join(c.opts.Dir, "server.log")
	out, err := c.run(ctx, "pg_ctl", "start", "-w", "-t", "60", "-D", c.opts.Dir, "-l", logFile, "-o", strings.Join(settings, " "))
	if err != nil {
		tail, _ := os.ReadFile(logFile)
		return fmt.Errorf("pgcluster: start: %w: %s\n%s", err, out, lastLines(tail, 10))
	}
	c.Port = port
	return nil
}

// runningPort reports the port of a server already running on the data directory.
func (c *Cluster) runningPort(ctx context.Context) (int, bool) {
	if _, err := c.run(ctx, "pg_ctl", "status", "-D", c.opts.Dir); err != nil {
		return 0, false
	}
	pid, err := os.ReadFile(filepath.Join(c.opts.Dir, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	lines := strings.Split(string(pid), "\n")
	if len(lines) < 4 {
		return 0, false
	}
	port, err := strconv.Atoi(strings.TrimSpace(lines[3]))
	return port, err == nil
}

func (c *Cluster) run(ctx context.Context, tool string, args ...string) ([]byte, error) {
	path := filepath.Join(c.binDir, tool)
	var cmd *exec.Cmd
	if c.runAs != nil {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, path, args...)
	}
	cmd.Dir = os.TempDir()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return bytes.TrimSpace(out.Bytes()), err
}

func (c *Cluster) chown(path string) error {
	if c.runAs == nil {
		return nil
	}
	uid, _ := strconv.Atoi(c.runAs.Uid)
	gid, _ := strconv.Atoi(c.runAs.Gid)
	if err := os.Chown(path, uid, gid); err != nil {
		return fmt.Errorf("pgcluster: hand %s to the postgres user: %w", path, err)
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgcluster: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
