package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

// ASVS 5.1.4: a header is input too. A User-Agent that is not UTF-8 (HTTP
// allows any byte above 0x7f there) is stored with the session and the
// sign-in attempt; it must not turn a correct sign-in into a 500, nor a
// wrong one into anything but the usual refusal.
func TestSignInWithAUserAgentThatIsNotUTF8(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, ua := range []string{"Mozilla/5.0 \xff\xfe", "caf\xc3", "\xe2\x82"} {
		c := b.client(t)
		c.Get("/login")
		header := http.Header{"User-Agent": {ua}}
		r := c.PostRaw("/login", url.Values{"email": {ownerEmail}, "password": {"not the password"}, "_csrf": {c.CSRF}}, header)
		require.Equal(t, http.StatusUnauthorized, r.StatusCode, "%q: %s", ua, r.Text())
		r = c.PostRaw("/login", url.Values{"email": {ownerEmail}, "password": {ownerPassword}, "_csrf": {c.CSRF}}, header)
		require.Equal(t, http.StatusSeeOther, r.StatusCode, "%q: %s", ua, r.Text())
		require.Equal(t, http.StatusOK, c.Get("/o/acme/").StatusCode)
	}
}
