package syncer_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/syncer"
	"github.com/attesthq/attest/internal/synctest"
)

// A display name with a NUL character (PostgreSQL stores none in text or
// jsonb) does not fail the sync: it is stored with U+FFFD in its place.
func TestNULInAMicrosoftDisplayNameDoesNotFailTheSync(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	odd := e.Tenant().AddUser(entrasim.User{DisplayName: "Null\x00Byte", UserPrincipalName: "null\x00byte@contoso.test", AccountEnabled: true})
	conn := e.Connect(t)

	out, err := e.Sync(t, conn)
	require.NoError(t, err)
	require.Equal(t, syncer.StatusSucceeded, out.Status, out.Error)
	require.Equal(t, len(e.Tenant().Users()), evidenceRows(t, e, entra.KindUser))
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM evidence WHERE kind = $1 AND subject_key = $2
		AND subject_label = 'null'||chr(65533)||'byte@contoso.test' AND payload->>'display_name' = 'Null'||chr(65533)||'Byte'`,
		entra.KindUser, odd.ID))
	require.Equal(t, 1, e.Count(t, `SELECT count(*) FROM evidence WHERE kind = $1 AND subject_key = $2`, entra.KindMFARegistration, odd.ID))
}
