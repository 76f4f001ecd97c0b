// Package pgtext makes text from outside (request headers, provider
// answers, error messages) storable in PostgreSQL, which refuses a NUL
// character and any byte sequence that is not UTF-8 in text and jsonb.
package pgtext

import (
	"strings"
	"unicode/utf8"
)

// Replacement stands in for a NUL or an invalid byte sequence.
const Replacement = "\uFFFD"

// Clean is s with every NUL and invalid byte sequence replaced by U+FFFD;
// s itself when there are none, so clean text keeps its exact bytes.
func Clean(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, Replacement), "\x00", Replacement)
}

// Cut is Clean(s) shortened to at most n bytes without splitting a
// character, so a cut never makes invalid UTF-8.
func Cut(s string, n int) string {
	s = Clean(s)
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
