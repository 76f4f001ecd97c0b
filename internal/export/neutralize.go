package export

// Neutralize makes a cell inert in a spreadsheet: a cell whose first
// character could start a formula gets a leading single quote, unless the
// cell is a plain number.
func Neutralize(cell string) string {
	if !formulaLike(cell) {
		return cell
	}
	return "'" + cell
}

// formulaLike reports whether a cell needs Neutralize's quote: it starts
// with = + - @, a tab, a carriage return or a full-width ＝ ＋ － ＠, and is
// not a plain number. It reads bytes, so exports check their cells
// without converting them.
func formulaLike[T string | []byte](c T) bool {
	if len(c) == 0 {
		return false
	}
	switch c[0] {
	case '=', '+', '-', '@', '\t', '\r':
	case 0xEF: // ＝ ＋ － ＠ are U+FF1D, U+FF0B, U+FF0D, U+FF20: EF BC 9D, 8B, 8D, A0
		if len(c) < 3 || c[1] != 0xBC || c[2] != 0x9D && c[2] != 0x8B && c[2] != 0x8D && c[2] != 0xA0 {
			return false
		}
	default:
		return false
	}
	return !isPlainNumber(c)
}

// isPlainNumber reports whether s is a decimal number: an optional sign,
// digits with at most one decimal point, and an optional exponent.
func isPlainNumber[T string | []byte](s T) bool {
	i := skipSign(s, 0)
	j := skipDigits(s, i)
	mantissa := j - i
	if j < len(s) && s[j] == '.' {
		k := skipDigits(s, j+1)
		mantissa += k - j - 1
		j = k
	}
	if mantissa == 0 {
		return false
	}
	if j == len(s) {
		return true
	}
	if s[j] != 'e' && s[j] != 'E' {
		return false
	}
	i = skipSign(s, j+1)
	j = skipDigits(s, i)
	return j > i && j == len(s)
}

// skipSign skips one + or - at i.
func skipSign[T string | []byte](s T, i int) int {
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		return i + 1
	}
	return i
}

// skipDigits skips the digits from i.
func skipDigits[T string | []byte](s T, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}
