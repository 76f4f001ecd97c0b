package main

import (
	"io"
	"log/slog"
	"strings"
)

// newLogger builds the process logger from ATTEST_LOG_FORMAT and ATTEST_LOG_LEVEL.
func newLogger(w io.Writer, format, level string) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(strings.ToUpper(level)))
	opts := &slog.HandlerOptions{Level: lvl}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
