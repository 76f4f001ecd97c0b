package web

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxDecodings bounds how many layers of percent-encoding localPath peels
// off while looking for a hidden "//", "\" or control character.
const maxDecodings = 3

// safeNext is the one gate for every redirect target that arrives from the
// request (the sign-in form's next, the page a signed-out visitor asked for):
// it returns next when it is a path on this site and "/" otherwise.
func safeNext(next string) string {
	if !isLocalPath(next) {
		return "/"
	}
	return next
}

// isLocalPath reports whether target can only lead to this origin. Browsers
// forgive a lot ("/\t/evil.example" and "/\evil.example" both become
// "//evil.example"), so it accepts only a path that starts with one "/",
// carries no control character, whitespace or backslash anywhere, parses
// with no scheme, host or user, and keeps all of that once percent-decoded
// (the path up to maxDecodings times, to catch double encoding; the query,
// which cannot change the origin, once for control characters).
func isLocalPath(target string) bool {
	if !strings.HasPrefix(target, "/") || !plainPath(target) {
		return false
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	path := u.EscapedPath()
	for range maxDecodings {
		decoded, err := url.PathUnescape(path)
		if err != nil || !strings.HasPrefix(decoded, "/") || !plainPath(decoded) {
			return false
		}
		if decoded == path {
			break
		}
		path = decoded
	}
	query, err := url.QueryUnescape(u.RawQuery)
	return err == nil && !strings.ContainsFunc(query, unicode.IsControl)
}

// plainPath reports whether a path starting with "/" has no second "/" or a
// "\" right after it, and no backslash, control character or whitespace
// anywhere (nor invalid UTF-8).
func plainPath(p string) bool {
	if len(p) > 1 && (p[1] == '/' || p[1] == '\\') {
		return false
	}
	return !strings.ContainsFunc(p, func(r rune) bool {
		return r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) || r == utf8.RuneError
	})
}
