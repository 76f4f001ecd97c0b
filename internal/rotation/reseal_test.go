package rotation_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/keyring"
	"github.com/attesthq/attest/internal/vault"
)

func TestResealGivesOneOrganizationANewDataKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, 2)
	a := localKey(t, b.keyFile)
	target, other := b.orgs[0], b.orgs[1]
	orgID := target.env.Org.ID
	// A re-authorization is in flight: its verifier is sealed too.
	authorize, err := target.env.Services.Reauthorize(ctx, orgID, target.env.User(), target.conn)
	require.NoError(t, err)
	oldKey, oldSealed := b.dataKey(t, orgID), b.credentials(t, orgID)
	otherKey, otherSealed := b.dataKey(t, other.env.Org.ID), b.credentials(t, other.env.Org.ID)

	res, err := b.service(keyring.New(a)).Reseal(ctx, orgID, actor)
	require.NoError(t, err)
	require.Equal(t, 1, res.Connections)
	require.Equal(t, 2, res.Authorizations, "the finished connect flow and the re-authorization in flight")
	require.Equal(t, 4, res.Sealed)
	require.Equal(t, a.ID(), res.From)
	require.Equal(t, a.ID(), res.To)

	newKey, newSealed := b.dataKey(t, orgID), b.credentials(t, orgID)
	require.NotEqual(t, oldKey, newKey)
	require.Len(t, newSealed, len(oldSealed))
	for i := range newSealed {
		require.NotEqual(t, oldSealed[i], newSealed[i], "every credential is sealed anew")
	}
	// A new data key, not the old one wrapped again: it no longer opens what it sealed.
	var secret []byte
	b.inOrg(t, orgID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT client_secret_sealed FROM connections`).Scan(&secret)
	})
	aad := keyring.AAD{OrgID: orgID, ConnectionID: target.conn, Purpose: vault.PurposeClientSecret}
	_, err = keyring.New(a).Open(ctx, orgID, oldKey, aad, secret)
	require.ErrorIs(t, err, keyring.ErrInvalidCiphertext)
	require.Equal(t, otherKey, b.dataKey(t, other.env.Org.ID), "other organizations are untouched")
	require.Equal(t, otherSealed, b.credentials(t, other.env.Org.ID))
	require.Equal(t, []map[string]any{{"from_key": a.ID(), "to_key": a.ID(), "connections": 1.0, "authorizations": 2.0, "sealed": 4.0}},
		b.auditDetails(t, orgID, "keys.reseal"))
	require.Empty(t, b.auditDetails(t, other.env.Org.ID, "keys.reseal"))

	// Everything still works: the re-authorization completes and both sync.
	out, err := target.env.Services.Complete(ctx, entra.Key, target.env.User(), target.env.Consent(t, authorize.URL))
	require.NoError(t, err)
	require.Nil(t, out.Problem)
	target.sync(t, keyring.New(a))
	other.sync(t, keyring.New(a))

	// During a key rotation, a reseal puts the new data key under the new key.
	keyB := newLocalKey(t)
	res, err = b.service(keyring.New(keyB, a)).Reseal(ctx, orgID, actor)
	require.NoError(t, err)
	require.Equal(t, a.ID(), res.From)
	require.Equal(t, keyB.ID(), res.To)
	require.Equal(t, keyB.ID(), keyring.WrappedBy(b.dataKey(t, orgID)))
	target.sync(t, keyring.New(keyB))
	require.Len(t, b.auditDetails(t, orgID, "keys.reseal"), 2)
}

func TestResealChangesNothingWhenItCannotOpenACredential(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, 1)
	a := localKey(t, b.keyFile)
	org := b.orgs[0]
	orgID := org.env.Org.ID
	key, sealed := b.dataKey(t, orgID), b.credentials(t, orgID)

	_, err := b.service(keyring.New(newLocalKey(t))).Reseal(ctx, orgID, actor)
	require.ErrorIs(t, err, keyring.ErrUnknownWrapper, "the old key is not configured")
	require.Equal(t, key, b.dataKey(t, orgID))
	require.Equal(t, sealed, b.credentials(t, orgID))
	require.Empty(t, b.auditDetails(t, orgID, "keys.reseal"))
	org.sync(t, keyring.New(a))

	// An organization that has sealed nothing has nothing to reseal.
	empty, err := org.env.Accounts.CreateOrg(ctx, "Not connected yet", "", audit.SystemActor("test"))
	require.NoError(t, err)
	res, err := b.service(keyring.New(a)).Reseal(ctx, empty.ID, actor)
	require.NoError(t, err)
	require.True(t, res.NoDataKey)
	require.Nil(t, b.dataKey(t, empty.ID))
}
