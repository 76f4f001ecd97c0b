package document

import (
	"path"
	"strings"
	"unicode"
)

// maxNameRunes bounds a stored file name.
const maxNameRunes = 120

// SafeName sanitises a client's file name for storage and downloads: the
// last path element only, letters, digits, dots, dashes, underscores and
// spaces kept (anything else, quotes and control characters included,
// becomes "_"), no leading dot, and the extension of the sniffed type, so a
// PDF named "report.html" is stored as "report.pdf".
func SafeName(name, contentType string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = strings.TrimPrefix(path.Base("/"+name), "/")
	ext := extensions[contentType]
	if isTextType(contentType) {
		if e := strings.ToLower(path.Ext(name)); e == ".markdown" || e == extensions[contentType] {
			ext = e
		}
	}
	stem := strings.TrimSuffix(name, path.Ext(name))
	var b strings.Builder
	n := 0
	for _, r := range stem {
		if n == maxNameRunes {
			break
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_' || r == ' ':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
		n++
	}
	out := strings.Trim(b.String(), ". ")
	if out == "" {
		out = "document"
	}
	return out + ext
}

func isTextType(t string) bool { return t == TypeText || t == TypeCSV || t == TypeMarkdown }
