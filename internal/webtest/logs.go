package webtest

import (
	"bytes"
	"log/slog"
	"sync"

	"github.com/attesthq/attest/internal/logctx"
)

// Logs captures everything a server logs, for asserting what never appears.
type Logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns everything logged so far.
func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Logger returns a JSON logger writing into l at debug level, adding the
// request-scoped attributes (logctx) as the process logger does.
func (l *Logs) Logger() *slog.Logger {
	return slog.New(logctx.Handler(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug})))
}
