package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector/github"
	"github.com/attesthq/attest/internal/githubsim"
)

func TestGitHubCatalogIntegrationAndConnectionPages(t *testing.T) {
	t.Parallel()
	b := setupGitHub(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)

	catalog := c.Follow("/o/acme/integrations")
	require.Positive(t, catalog.Doc(t).Find(`a[href="/o/acme/integrations/github"]`).Length(), "the catalog offers GitHub")
	page := c.Get("/o/acme/integrations/github")
	require.Equal(t, http.StatusOK, page.StatusCode)
	text := page.Doc(t).Text()
	for p, unlocks := range github.Permissions {
		require.Contains(t, text, p+": read")
		require.Contains(t, text, unlocks, "each permission says what it unlocks")
	}
	for _, want := range []string{"GitHub App", "CC8.1", "CC7.1", "Source control"} {
		require.Contains(t, page.Text(), want)
	}
	wizard := c.Get("/o/acme/integrations/github/connect")
	require.Contains(t, wizard.Text(), "Simulated organization (not GitHub)")
	require.Contains(t, wizard.Text(), "API root (GitHub Enterprise only)")

	connID := b.connectGitHub(t, c)
	require.Equal(t, "succeeded", string(b.sync(t, connID).Status))
	conn := c.Get("/o/acme/connections/" + connID.String())
	require.Equal(t, http.StatusOK, conn.StatusCode)
	text = conn.Doc(t).Text()
	for _, want := range []string{strconv.Itoa(githubsim.DefaultInstallationID), "All repositories", githubsim.DefaultOrgLogin,
		"Critical and high alerts may stay open (days)", "Every active repository's default branch requires an approving review"} {
		require.Contains(t, text, want)
	}
	require.Equal(t, "30", conn.Doc(t).Find(`input[name="param_max_open_days"], input[name="max_open_days"]`).AttrOr("value", ""),
		"the check's declared 30 days, shown on the connection page")
}
