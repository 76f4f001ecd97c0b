package main

import (
	"io"
	"log/slog"
	"strings"

	"github.com/attesthq/attest/internal/logctx"
)

// newLogger builds the process logger from ATTEST_LOG_FORMAT and
// ATTEST_LOG_LEVEL. A line logged with a request's context carries the
// request's id (logctx).
func newLogger(w io.Writer, format, level string) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(strings.ToUpper(level)))
	opts := &slog.HandlerOptions{Level: lvl}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if format == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(logctx.Handler(h))
}
