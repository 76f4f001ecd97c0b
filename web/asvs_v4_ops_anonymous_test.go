package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// ASVS 4.1.1 / 4.3.1: the operators' console does not reveal itself to an
// anonymous visitor either: every path under /ops answers the plain 404 a
// missing page answers, never a redirect to sign-in.
func TestOpsAnswersAnonymousVisitorsNotFound(t *testing.T) {
	t.Parallel()
	b := setup(t)
	require.NoError(t, b.jobsUI.Start(t.Context()))
	c := b.client(t)
	for _, path := range []string{"/ops", "/ops/", "/ops/jobs", "/ops/jobs/", "/ops/jobs/api/jobs?state=available", "/ops/jobs/api/queues", "/ops/jobs/jobs/1"} {
		r := c.Get(path)
		if r.StatusCode == http.StatusPermanentRedirect {
			// Only the trailing slash is dropped, as for any path.
			require.Equal(t, strings.TrimSuffix(path, "/"), r.Location(), path)
			r = c.Get(r.Location())
		}
		require.Equal(t, http.StatusNotFound, r.StatusCode, path)
		require.Empty(t, r.Header.Get("Location"), path)
		require.Equal(t, "Page not found", r.Doc(t).Find("h1").Text(), path)
		require.NotContains(t, strings.ToLower(r.Text()), "river", path)
		require.NotContains(t, strings.ToLower(r.Text()), "operator", path)
		require.NotContains(t, strings.ToLower(r.Text()), "sign in", path)
	}
	r := jobsAPI(t, c, http.MethodPost, "jobs/cancel", `{"ids":["1"]}`, http.Header{"Sec-Fetch-Site": {"same-origin"}})
	require.Equal(t, http.StatusNotFound, r.StatusCode)
	// An htmx request gets no HX-Redirect to the sign-in page either.
	req, err := http.NewRequest(http.MethodGet, c.Base+"/ops", nil)
	require.NoError(t, err)
	req.Header.Set("HX-Request", "true")
	r = c.Do(req)
	require.Equal(t, http.StatusNotFound, r.StatusCode)
	require.Empty(t, r.Header.Get("HX-Redirect"))
}
