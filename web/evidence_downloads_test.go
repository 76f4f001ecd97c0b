package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/entrasim"
)

func TestEvidenceOffersEachKindsCSVWithoutChoosingAKindFirst(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	_, connID := b.connectAndSync(t, c)

	doc := c.Get("/o/acme/evidence?connection=" + connID.String()).Doc(t)
	require.Equal(t, "Download ZIP", strings.TrimSpace(doc.Find(`[data-testid="export-csv"]`).Text()))
	links := doc.Find(`[data-testid="export-kinds"] a`)
	require.Equal(t, len(entra.New(entra.Options{}, nil).Definition().Evidence), links.Length(), "one CSV per kind")
	var policies string
	links.Each(func(_ int, a *goquery.Selection) {
		u, err := url.Parse(a.AttrOr("href", ""))
		require.NoError(t, err)
		require.Equal(t, "/o/acme/evidence/export", u.Path)
		require.Equal(t, connID.String(), u.Query().Get("connection"), "the other filters are kept")
		if u.Query().Get("kind") == entra.KindCAPolicy {
			policies = a.AttrOr("href", "")
		}
	})
	r := c.Get(policies)
	require.Equal(t, http.StatusOK, r.StatusCode)
	require.Contains(t, r.Header.Get("Content-Type"), "text/csv")
	lines := strings.Split(strings.TrimSpace(r.Text()), "\r\n")
	require.Len(t, lines, 1+len(b.sim.Tenant(entrasim.DefaultTenantID).Policies()))

	// With a kind chosen, the main button is that kind's CSV and the menu goes.
	kind := c.Get("/o/acme/evidence?kind=" + entra.KindCAPolicy).Doc(t)
	require.Equal(t, "Download CSV", strings.TrimSpace(kind.Find(`[data-testid="export-csv"]`).Text()))
	require.Zero(t, kind.Find(`[data-testid="export-kinds"]`).Length())
}
