package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// ASVS 5.1.5: redirects go only to this site. Each value is the decoded next
// parameter; every one of them is a known way to make a browser leave the
// origin (or to smuggle such a way past a prefix check).
var offsiteNexts = []string{
	"/\t/evil.example/x",
	"/\n/evil.example/x",
	"/\r\n/evil.example/x",
	"//evil.example/x",
	"///evil.example/x",
	"/\\evil.example/x",
	"\\/evil.example/x",
	"/%09/evil.example/x",
	"/%0a/evil.example/x",
	"/%2F/evil.example/x",
	"/%2fevil.example/x",
	"/%252Fevil.example/x",
	"/%25252Fevil.example/x",
	"/%5cevil.example/x",
	"/%5Cevil.example/x",
	"/%255cevil.example/x",
	"/o/acme/\\evil",
	" /evil.example/x",
	"\t/evil.example/x",
	"/ /evil.example/x",
	"/\u00a0/evil.example/x",
	"/\u2028/evil.example/x",
	"/\x00/evil.example/x",
	"/\xff/evil.example/x",
	"/o/acme/audit?x=%0d%0aSet-Cookie:%20a=b",
	"https://evil.example/x",
	"https:evil.example/x",
	"https:/evil.example/x",
	"HTTPS://evil.example/x",
	"javascript:alert(1)",
	"data:text/html,hi",
	"evil.example/x",
	"@evil.example",
	"",
}

// localNexts stay on the site and are kept as they are.
var localNexts = []string{
	"/o/acme/audit",
	"/o/acme/",
	"/o/acme/evidence?kind=entra.user&subject=ada%40acme.test",
	"/o/acme/evidence?subject=Ada+Lovelace",
	"/o/acme/controls/CC6.1#checks",
}

// refusedAtTheEdge is whether a value never reaches a handler: text with a
// NUL or bytes that are not UTF-8 is answered 400 by refuseBadText.
func refusedAtTheEdge(v string) bool { return !utf8.ValidString(v) || strings.ContainsRune(v, 0) }

func TestSignedInLoginPageRedirectsOnlyToLocalPaths(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	for _, next := range offsiteNexts {
		r := c.Get("/login?next=" + url.QueryEscape(next))
		if refusedAtTheEdge(next) {
			require.Equal(t, http.StatusBadRequest, r.StatusCode, "%q", next)
			require.Empty(t, r.Header.Get("Location"), "%q", next)
			continue
		}
		require.Equal(t, http.StatusSeeOther, r.StatusCode, "%q", next)
		require.Equal(t, "/", r.Header.Get("Location"), "%q", next)
	}
	// The reported probe, byte for byte.
	r := c.Get("/login?next=/%09/evil.example/x")
	require.Equal(t, "/", r.Header.Get("Location"))
	for _, next := range localNexts {
		r := c.Get("/login?next=" + url.QueryEscape(next))
		require.Equal(t, next, r.Header.Get("Location"))
	}
}

func TestLoginFormCarriesOnlyLocalNext(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	for _, next := range offsiteNexts {
		r := c.Get("/login?next=" + url.QueryEscape(next))
		if refusedAtTheEdge(next) {
			require.Equal(t, http.StatusBadRequest, r.StatusCode, "%q", next)
			continue
		}
		require.Equal(t, http.StatusOK, r.StatusCode)
		require.Equal(t, "/", r.Doc(t).Find(`input[name="next"]`).AttrOr("value", ""), "%q", next)
	}
}

func TestSignInRedirectsOnlyToLocalPaths(t *testing.T) {
	t.Parallel()
	b := setup(t)
	signIn := func(next string) string {
		c := b.client(t)
		c.Get("/login")
		r := c.Post("/login", url.Values{"email": {ownerEmail}, "password": {ownerPassword}, "next": {next}})
		require.Equal(t, http.StatusSeeOther, r.StatusCode, "%q", next)
		return r.Header.Get("Location")
	}
	for _, next := range []string{"/\t/evil.example/x", "//evil.example/x", "/\\evil.example/x", "/%252Fevil.example/x", "/%5cevil.example/x", " /evil.example/x", "https://evil.example/x", "javascript:alert(1)"} {
		require.Equal(t, "/", signIn(next), "%q", next)
	}
	require.Equal(t, "/o/acme/audit", signIn("/o/acme/audit"))
}

func TestSignedOutVisitorIsSentToSignInWithLocalNextOnly(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	r := c.Get("/o/acme/audit?page=2")
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	require.Equal(t, "/login?next="+url.QueryEscape("/o/acme/audit?page=2"), r.Header.Get("Location"))
	// A request path that would not be a safe destination is not carried.
	r = c.Get("/o/acme/%5cevil.example")
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	require.Equal(t, "/login", r.Header.Get("Location"))
}
