package layout

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

func alertCount(n int) string {
	if n == 1 {
		return "1 open alert."
	}
	return strconv.Itoa(n) + " open alerts."
}

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
