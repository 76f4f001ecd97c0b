package export

import (
	"strings"
	"unicode/utf8"
)

// Neutralize makes a cell inert in a spreadsheet: a cell whose first
// character could start a formula gets a leading single quote, unless the
// cell is a plain number.
func Neutralize(cell string) string {
	if cell == "" {
		return cell
	}
	r, _ := utf8.DecodeRuneInString(cell)
	switch r {
	case '=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠':
	default:
		return cell
	}
	if isPlainNumber(cell) {
		return cell
	}
	return "'" + cell
}

// isPlainNumber reports whether s is a decimal number: an optional sign,
// digits with at most one decimal point, and an optional exponent.
func isPlainNumber(s string) bool {
	mantissa, exp, hasExp := strings.Cut(strings.ToLower(trimSign(s)), "e")
	intPart, frac, _ := strings.Cut(mantissa, ".")
	if intPart == "" && frac == "" || !digits(intPart) || !digits(frac) {
		return false
	}
	if !hasExp {
		return true
	}
	exp = trimSign(exp)
	return exp != "" && digits(exp)
}

// trimSign drops one leading + or -.
func trimSign(s string) string {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		return s[1:]
	}
	return s
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
