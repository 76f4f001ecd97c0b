package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/attesthq/attest/internal/logctx"
)

// newLogger builds the process logger from ATTEST_LOG_FORMAT and
// ATTEST_LOG_LEVEL. A line logged with a request's context carries the
// request's id (logctx).
func newLogger(w io.Writer, format, level string) *slog.Logger {
	return slog.New(logctx.Handler(baseHandler(w, format, level)))
}

// newDevLogger is newLogger for `attest dev`: below debug level, routine
// requests are not logged (quietRequests), so the demo logins stay visible.
func newDevLogger(w io.Writer, format, level string) *slog.Logger {
	h := baseHandler(w, format, level)
	if level != "debug" {
		h = quietRequests{Handler: h, slow: slowRequest}
	}
	return slog.New(logctx.Handler(h))
}

func baseHandler(w io.Writer, format, level string) slog.Handler {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(strings.ToUpper(level)))
	opts := &slog.HandlerOptions{Level: lvl}
	if format == "json" {
		return slog.NewJSONHandler(w, opts)
	}
	return slog.NewTextHandler(w, opts)
}

// requestLogMessage is the message of the web server's one line per request
// (web/mw_request.go).
const requestLogMessage = "http request"

// slowRequest is how long a request may take before dev logs it.
const slowRequest = 500 * time.Millisecond

// quietRequests drops the request lines of requests that succeeded (2xx)
// in less than slow; every other record passes through.
type quietRequests struct {
	slog.Handler
	slow time.Duration
}

// Handle drops routine request lines and passes the rest on.
func (q quietRequests) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == requestLogMessage && routineRequest(r, q.slow) {
		return nil
	}
	return q.Handler.Handle(ctx, r)
}

// WithAttrs keeps the filter on the derived handler.
func (q quietRequests) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quietRequests{Handler: q.Handler.WithAttrs(attrs), slow: q.slow}
}

// WithGroup keeps the filter on the derived handler.
func (q quietRequests) WithGroup(name string) slog.Handler {
	return quietRequests{Handler: q.Handler.WithGroup(name), slow: q.slow}
}

// routineRequest reports whether a request line records a 2xx answered in
// less than slow.
func routineRequest(r slog.Record, slow time.Duration) bool {
	routine := false
	r.Attrs(func(a slog.Attr) bool {
		switch {
		case a.Key == "status" && a.Value.Kind() == slog.KindInt64:
			s := a.Value.Int64()
			routine = s >= 200 && s < 300
		case a.Key == "duration_ms" && a.Value.Kind() == slog.KindFloat64:
			if a.Value.Float64() >= float64(slow.Milliseconds()) {
				routine = false
				return false
			}
		}
		return true
	})
	return routine
}
