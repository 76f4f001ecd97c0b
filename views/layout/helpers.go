package layout

import (
	"strings"
	"unicode/utf8"
)

func initial(label string) string {
	r, _ := utf8.DecodeRuneInString(label)
	if r == utf8.RuneError {
		return "?"
	}
	return strings.ToUpper(string(r))
}

func flashRole(kind string) string {
	if kind == FlashError {
		return "alert"
	}
	return "status"
}
