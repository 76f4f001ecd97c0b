package connection_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/connector/connectortest"
	"github.com/attesthq/attest/internal/synctest"
)

// TestConsentOnlyForAConnectorDeclaringIt: the consent flow is a
// capability; a connector that does not declare it (the fake, a static
// token) gets no flow, and one without a browser round-trip cannot be
// re-authorized in place either.
func TestConsentOnlyForAConnectorDeclaringIt(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{Fake: connectortest.New()})
	ctx := context.Background()
	fake := e.ConnectFake(t, "acme")
	_, err := e.Services.Consent(ctx, e.Org.ID, e.User(), fake)
	require.ErrorIs(t, err, connection.ErrNoCapability)
	_, err = e.Services.Reauthorize(ctx, e.Org.ID, e.User(), fake)
	require.ErrorIs(t, err, connection.ErrNoCapability)
	require.Zero(t, e.Count(t, `SELECT count(*) FROM oauth_flows`))

	entra := e.Connect(t)
	target, err := e.Services.Consent(ctx, e.Org.ID, e.User(), entra)
	require.NoError(t, err)
	require.Contains(t, target.URL, "/adminconsent")
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM oauth_flows WHERE purpose = 'consent'`))
}

// TestStaticTokenConnectionIsActiveAtOnce: no browser round-trip; the
// secret is sealed and the connection audited as connected.
func TestStaticTokenConnectionIsActiveAtOnce(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{Fake: connectortest.New()})
	id := e.ConnectFake(t, "acme")
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM connections WHERE id = $1 AND status = 'active' AND client_secret_sealed IS NOT NULL`, id))
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'connection.connect' AND target_id = $1`, id.String()))
}
