package main

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDevReportsATakenPortBeforeTheClusterStarts(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	require.ErrorContains(t, checkPortFree(ln.Addr().String()), "ATTEST_ADDR")

	dir := t.TempDir()
	_, stderr, err := run(t, map[string]string{"ATTEST_ADDR": ln.Addr().String()}, "", "dev", "--data", dir)
	require.ErrorContains(t, err, "ATTEST_ADDR: cannot listen on "+ln.Addr().String())
	require.NotContains(t, stderr, "PostgreSQL")
	_, statErr := os.Stat(filepath.Join(dir, "pg"))
	require.ErrorIs(t, statErr, os.ErrNotExist, "no cluster was created")
}

func TestDevBaseURLIsTheAddressItServes(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{
		devAddr:          "http://127.0.0.1:3000",
		":3000":          "http://localhost:3000",
		"0.0.0.0:8080":   "http://localhost:8080",
		"[::]:8080":      "http://localhost:8080",
		"[::1]:3001":     "http://[::1]:3001",
		"localhost:3002": "http://localhost:3002",
	} {
		got, err := devBaseURL(addr)
		require.NoError(t, err)
		require.Equal(t, want, got, addr)
	}
	_, err := devBaseURL("3000")
	require.ErrorContains(t, err, "ATTEST_ADDR")
}

func TestDevLogQuietsRoutineRequests(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	log := newDevLogger(&out, "text", "info")
	request := func(path string, status int, took time.Duration) {
		log.Info(requestLogMessage, "path", path, "status", status, "duration_ms", float64(took.Microseconds())/1000)
	}
	request("/ok", 200, time.Millisecond)
	request("/redirect", 303, time.Millisecond)
	request("/missing", 404, time.Millisecond)
	request("/slow", 200, time.Second)
	log.Info("something else")
	require.NotContains(t, out.String(), "/ok")
	for _, want := range []string{"/redirect", "/missing", "/slow", "something else"} {
		require.Contains(t, out.String(), want)
	}

	out.Reset()
	log = newDevLogger(&out, "text", "debug")
	request("/ok", 200, time.Millisecond)
	require.Contains(t, out.String(), "/ok", "debug logs every request")

	out.Reset()
	slog.New(quietRequests{Handler: slog.NewTextHandler(&out, nil), slow: slowRequest}).With("request_id", "x").Info(requestLogMessage, "status", 200, "duration_ms", 1.0)
	require.Empty(t, out.String(), "the filter survives With")
}

func TestSignalStopExitsZero(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	require.Equal(t, 2, exitStatus(ctx, context.Canceled), "a cancellation nobody asked for is an error")
	cancel() // what signal.NotifyContext does on SIGINT or SIGTERM
	require.Equal(t, 0, exitStatus(ctx, nil))
	require.Equal(t, 0, exitStatus(ctx, context.Canceled))
	require.Equal(t, 2, exitStatus(ctx, os.ErrPermission), "a real failure while stopping is still reported")
	require.Equal(t, 1, exitStatus(ctx, exitFailure{"broken"}))
}

func TestDevBannerReturnsAfterTheStartupNoise(t *testing.T) {
	t.Parallel()
	printed := make(chan struct{}, 2)
	b := &bannerAgain{w: &bytes.Buffer{}, quiet: 0, again: func() { printed <- struct{}{} }}
	_, _ = b.Write([]byte("before ready\n"))
	b.mu.Lock()
	require.Nil(t, b.timer, "lines before the first banner do not count")
	b.mu.Unlock()
	b.arm()
	_, _ = b.Write([]byte("startup noise\n"))
	<-printed
	_, _ = b.Write([]byte("later noise\n"))
	b.stop()
	require.Empty(t, printed, "the banner is printed again once")
}
