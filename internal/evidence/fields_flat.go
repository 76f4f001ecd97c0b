package evidence

import (
	"bytes"
	"unicode/utf8"
)

// renderFlat is Render's fast path, for the payloads most records have as
// PostgreSQL hands them out: one object whose members are strings without
// escapes, numbers, true, false or null. At anything else (an escape, a list
// or nested object, invalid JSON, trailing bytes) it stops and reports
// false, and Render runs the full decoder from the start; so it renders
// only what the decoder renders identically, in a quarter of its time.
func (f *Fields) renderFlat(order []string, p []byte) bool {
	i := skipSpace(p, 0)
	if i == len(p) || p[i] != '{' {
		return false
	}
	i = skipSpace(p, i+1)
	if i < len(p) && p[i] == '}' {
		return skipSpace(p, i+1) == len(p)
	}
	for {
		nameStart := i + 1
		nameEnd, ok := scanString(p, i)
		if !ok {
			return false
		}
		i = skipSpace(p, nameEnd+1)
		if i == len(p) || p[i] != ':' {
			return false
		}
		i = skipSpace(p, i+1)
		start, end, ok := scanScalar(p, i)
		if !ok {
			return false
		}
		i = skipSpace(p, end)
		if k := flatIndex(order, p[nameStart:nameEnd]); k >= 0 {
			if p[start] == '"' {
				start, end = start+1, end-1
			} else if p[start] == 'n' {
				start, end = 0, 0 // null renders empty
			}
			from := len(f.text)
			f.text = append(f.text, p[start:end]...)
			f.spans[k] = [2]int{from, len(f.text)}
		}
		if i == len(p) {
			return false
		}
		switch p[i] {
		case ',':
			i = skipSpace(p, i+1)
		case '}':
			return skipSpace(p, i+1) == len(p)
		default:
			return false
		}
	}
}

// flatIndex finds name in order, or -1.
func flatIndex(order []string, name []byte) int {
	for i, o := range order {
		if string(name) == o {
			return i
		}
	}
	return -1
}

// skipSpace skips JSON whitespace from i.
func skipSpace(p []byte, i int) int {
	for i < len(p) && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t') {
		i++
	}
	return i
}

// scanString checks the string starting at p[i] (a quote) and returns the
// index of its closing quote; it refuses escapes, control characters and
// invalid UTF-8.
func scanString(p []byte, i int) (int, bool) {
	if i == len(p) || p[i] != '"' {
		return 0, false
	}
	n := bytes.IndexByte(p[i+1:], '"')
	if n < 0 {
		return 0, false
	}
	s := p[i+1 : i+1+n]
	var high byte
	for _, c := range s {
		if c < 0x20 || c == '\\' {
			return 0, false
		}
		high |= c
	}
	return i + 1 + n, high < utf8.RuneSelf || utf8.Valid(s)
}

// scanScalar checks the string, number, true, false or null at p[i] and
// returns where it starts and ends.
func scanScalar(p []byte, i int) (int, int, bool) {
	if i == len(p) {
		return 0, 0, false
	}
	switch p[i] {
	case '"':
		end, ok := scanString(p, i)
		return i, end + 1, ok
	case 't':
		return literal(p, i, "true")
	case 'f':
		return literal(p, i, "false")
	case 'n':
		return literal(p, i, "null")
	}
	end, ok := scanNumber(p, i)
	return i, end, ok
}

// literal checks that word is at p[i].
func literal(p []byte, i int, word string) (int, int, bool) {
	end := i + len(word)
	return i, end, end <= len(p) && string(p[i:end]) == word
}

// scanNumber checks the JSON number at p[i] and returns its end: an
// optional minus, 0 or digits without a leading zero, an optional fraction
// and exponent.
func scanNumber(p []byte, i int) (int, bool) {
	if i < len(p) && p[i] == '-' {
		i++
	}
	switch {
	case i < len(p) && p[i] == '0':
		i++
	case i < len(p) && p[i] >= '1' && p[i] <= '9':
		i = digitsFrom(p, i)
	default:
		return 0, false
	}
	if i < len(p) && p[i] == '.' {
		j := digitsFrom(p, i+1)
		if j == i+1 {
			return 0, false
		}
		i = j
	}
	if i < len(p) && (p[i] == 'e' || p[i] == 'E') {
		i++
		if i < len(p) && (p[i] == '+' || p[i] == '-') {
			i++
		}
		j := digitsFrom(p, i)
		if j == i {
			return 0, false
		}
		i = j
	}
	return i, true
}

// digitsFrom skips the digits from i.
func digitsFrom(p []byte, i int) int {
	for i < len(p) && p[i] >= '0' && p[i] <= '9' {
		i++
	}
	return i
}
