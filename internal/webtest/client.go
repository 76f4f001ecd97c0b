// Package webtest drives attest over real HTTP in tests: a cookie-jar client
// that scrapes CSRF tokens the way a browser form would send them, and
// helpers to read pages with goquery.
package webtest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/stretchr/testify/require"
)

// Client is one browser: a cookie jar and the last CSRF token it saw.
type Client struct {
	t    testing.TB
	Base string
	HTTP *http.Client
	CSRF string
}

// NewClient returns a client for the server at base that does not follow
// redirects, so tests see every 303.
func NewClient(t testing.TB, base string) *Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &Client{t: t, Base: strings.TrimSuffix(base, "/"), HTTP: &http.Client{
		Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// Response is a fully read response.
type Response struct {
	*http.Response
	Body []byte
}

// Doc parses the body as HTML.
func (r *Response) Doc(t testing.TB) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(r.Body))
	require.NoError(t, err)
	return doc
}

// Text is the body as a string.
func (r *Response) Text() string { return string(r.Body) }

// Location is the redirect target's path and query.
func (r *Response) Location() string {
	loc := r.Header.Get("Location")
	if u, err := url.Parse(loc); err == nil && u.Host != "" {
		return u.RequestURI()
	}
	return loc
}

// Do sends req and reads the whole response, remembering any CSRF token the
// page carries.
func (c *Client) Do(req *http.Request) *Response {
	c.t.Helper()
	resp, err := c.HTTP.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	r := &Response{Response: resp, Body: body}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		if doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body)); err == nil {
			if tok, ok := doc.Find(`input[name="_csrf"]`).First().Attr("value"); ok && tok != "" {
				c.CSRF = tok
			}
		}
	}
	return r
}

// Get fetches path.
func (c *Client) Get(path string) *Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.Base+path, nil)
	require.NoError(c.t, err)
	return c.Do(req)
}

// Follow fetches path and follows redirects within the server.
func (c *Client) Follow(path string) *Response {
	c.t.Helper()
	r := c.Get(path)
	for i := 0; i < 10 && r.StatusCode >= 300 && r.StatusCode < 400; i++ {
		r = c.Get(r.Location())
	}
	return r
}

// Post submits a form with the client's current CSRF token (set one with
// Get first, as a browser would have loaded the form).
func (c *Client) Post(path string, form url.Values) *Response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" && c.CSRF != "" {
		form.Set("_csrf", c.CSRF)
	}
	return c.PostRaw(path, form, nil)
}

// PostRaw submits a form exactly as given, with extra headers.
func (c *Client) PostRaw(path string, form url.Values, header http.Header) *Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.Base+path, strings.NewReader(form.Encode()))
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	return c.Do(req)
}

// Cookies returns the jar's cookies for the server.
func (c *Client) Cookies() []*http.Cookie {
	u, _ := url.Parse(c.Base)
	return c.HTTP.Jar.Cookies(u)
}

// SetCookies replaces the jar's cookies for the server.
func (c *Client) SetCookies(cookies []*http.Cookie) {
	u, _ := url.Parse(c.Base)
	c.HTTP.Jar.SetCookies(u, cookies)
}

// Login signs in with the form, as a person would, and requires success.
func (c *Client) Login(email, password string) *Response {
	c.t.Helper()
	c.Get("/login")
	r := c.Post("/login", url.Values{"email": {email}, "password": {password}})
	require.Equalf(c.t, http.StatusSeeOther, r.StatusCode, "login as %s: %s", email, r.Text())
	return r
}
