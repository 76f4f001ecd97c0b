package web_test

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/webtest"
	"github.com/attesthq/attest/web"
)

// Two replicas over one database each keep the organization's view; a
// change made through one shows on the other's very next page, because
// every page reads the organization's read version when it is admitted.
func TestAChangeThroughOneReplicaShowsOnTheOthersNextPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	b.connectAndSync(t, c)
	other, err := web.New(b.app.Deps)
	require.NoError(t, err)
	srv := httptest.NewServer(other.Handler())
	t.Cleanup(srv.Close)
	r := webtest.NewClient(t, srv.URL)
	r.SetCookies(c.Cookies())

	before := r.Get("/o/acme/").Doc(t)
	require.Equal(t, "0", count(before, "count-not_applicable"))
	require.Zero(t, r.Get("/o/acme/controls?status=not_applicable").Doc(t).Find(`[data-testid="control-row"]`).Length())
	require.Zero(t, r.Get("/o/acme/controls/CC9.2").Doc(t).Find(`[data-testid="not-applicable"]`).Length())

	markNotApplicable(t, c, "CC9.2", "We keep no vendors or business partners in scope.")
	after := r.Get("/o/acme/").Doc(t)
	require.Equal(t, "1", count(after, "count-not_applicable"))
	require.Equal(t, 1, r.Get("/o/acme/controls?status=not_applicable").Doc(t).Find(`[data-testid="control-row"]`).Length())
	page := r.Get("/o/acme/controls/CC9.2").Doc(t)
	require.Equal(t, "We keep no vendors or business partners in scope.", page.Find(`[data-testid="justification"]`).Text())
}
