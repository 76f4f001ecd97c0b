package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/githubsim"
	"github.com/attesthq/attest/internal/syncer"
)

func TestGitHubUnchangedResyncIsAnsweredFromStoredETags(t *testing.T) {
	t.Parallel()
	b := setupGitHub(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	connID := b.connectGitHub(t, c)

	first := b.sync(t, connID)
	require.Equal(t, "succeeded", string(first.Status), "%+v", first)
	_, usedFirst, _ := b.github.RateLimit(githubsim.DefaultInstallationID)
	second := b.sync(t, connID)
	require.Equal(t, "succeeded", string(second.Status), "%+v", second)
	_, usedBoth, _ := b.github.RateLimit(githubsim.DefaultInstallationID)
	// Every answer is a 304, which costs no budget, or a remembered "Branch
	// not protected" (GitHub gives a 404 no ETag), not asked again.
	require.Zero(t, usedBoth-usedFirst, "first sync used %d", usedFirst)
	require.Zero(t, second.NewRows, "the stored answers are the same evidence")
}

func TestGitHubUninstalledAppNeedsReauthorizationWithAnAlert(t *testing.T) {
	t.Parallel()
	b := setupGitHub(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	connID := b.connectGitHub(t, c)
	require.Equal(t, "succeeded", string(b.sync(t, connID).Status))

	b.github.Uninstall(githubsim.DefaultInstallationID)
	_, err := b.syncer.Run(context.Background(), syncer.Request{OrgID: b.org.ID, ConnectionID: connID, Trigger: "schedule", Attempt: 1})
	require.True(t, connector.IsNeedsReauth(err), "%v", err)
	conn, _ := b.githubConnection(t, connID)
	require.Equal(t, "needs_reauth", conn.Status)
	page := c.Get("/o/acme/alerts").Doc(t)
	require.Equal(t, 1, page.Find(`[data-testid="alert-row"][data-kind="needs_reauth"]`).Length())
}

func TestGitHubRevokeForgetsTheStoredAnswers(t *testing.T) {
	t.Parallel()
	b := setupGitHub(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	connID := b.connectGitHub(t, c)
	require.Equal(t, "succeeded", string(b.sync(t, connID).Status))
	stored := func() int {
		var n int
		require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT count(*) FROM conditional_validators WHERE connection_id = $1`, connID).Scan(&n)
		}))
		return n
	}
	require.Positive(t, stored())
	c.Get("/o/acme/connections/" + connID.String())
	r := c.Post("/o/acme/connections/"+connID.String()+"/revoke", nil)
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Zero(t, stored(), "copies of the provider's answers do not outlive the connection")
}
