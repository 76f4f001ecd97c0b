package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/webtest"
)

// postMultipart submits fields as multipart/form-data to path.
func postMultipart(t *testing.T, c *webtest.Client, path string, fields map[string]string) *webtest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		require.NoError(t, w.WriteField(k, v))
	}
	require.NoError(t, w.Close())
	req, err := http.NewRequest(http.MethodPost, c.Base+path, &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

// ASVS 3.5.3 / 13.2.3: the anti-forgery token is accepted only from the form
// body (url-encoded or multipart) or the htmx header, never from the query
// string, where it would leak through logs, history and Referer.
func TestCSRFTokenIsRefusedFromTheQueryString(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	c.Follow("/o/acme/audit")
	token := url.QueryEscape(c.CSRF)

	r := c.PostRaw("/logout?_csrf="+token, url.Values{}, nil)
	require.Equal(t, http.StatusForbidden, r.StatusCode)
	r = postMultipart(t, c, "/logout?_csrf="+token, map[string]string{"other": "x"})
	require.Equal(t, http.StatusForbidden, r.StatusCode)
	r = c.PostRaw("/logout?_csrf="+token, url.Values{"_csrf": {"forged"}}, nil)
	require.Equal(t, http.StatusForbidden, r.StatusCode)

	// The session survived every refusal: the page still answers.
	require.Equal(t, http.StatusOK, c.Get("/o/acme/audit").StatusCode)
}

func TestCSRFTokenIsAcceptedFromTheBodyOrHeader(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for name, send := range map[string]func(c *webtest.Client) *webtest.Response{
		"url-encoded body": func(c *webtest.Client) *webtest.Response {
			return c.PostRaw("/logout", url.Values{"_csrf": {c.CSRF}}, nil)
		},
		"multipart body": func(c *webtest.Client) *webtest.Response {
			return postMultipart(t, c, "/logout", map[string]string{"_csrf": c.CSRF})
		},
		"htmx header": func(c *webtest.Client) *webtest.Response {
			return c.PostRaw("/logout", url.Values{}, http.Header{"X-Csrf-Token": {c.CSRF}})
		},
	} {
		c := b.client(t)
		c.Login(ownerEmail, ownerPassword)
		c.Follow("/o/acme/audit")
		r := send(c)
		require.Equal(t, http.StatusSeeOther, r.StatusCode, name)
		require.Equal(t, "/login", r.Location(), name)
	}
}
