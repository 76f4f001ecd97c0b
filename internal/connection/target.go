package connection

import "net/url"

// Target is where the browser goes to authorize: a redirect to URL or,
// when Form is not nil, a form it POSTs to URL (a connector.FormPoster's
// step). The zero Target means there is nowhere to go.
type Target struct {
	URL  string
	Form url.Values
}

// Posts reports whether the browser must POST Form rather than follow a
// redirect.
func (t Target) Posts() bool { return t.Form != nil }
