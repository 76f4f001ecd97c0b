package rotation_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/keyring"
	"github.com/attesthq/attest/internal/rotation"
	"github.com/attesthq/attest/internal/syncer"
	"github.com/attesthq/attest/internal/synctest"
	"github.com/attesthq/attest/internal/testdb"
	"github.com/attesthq/attest/internal/vault"
)

// actor is who the tests' rotations are audited as.
var actor = audit.SystemActor("cli")

// tenant is one organization with a connected, synced Entra tenant.
type tenant struct {
	env  *synctest.Env
	conn uuid.UUID
}

// testBundle is a database with organizations whose data keys the local
// master key in keyFile wraps.
type testBundle struct {
	tdb     *testdb.DB
	keyFile string
	orgs    []tenant
}

// setup creates a database with n organizations, each with one connection
// connected and synced under the master key in a new file.
func setup(t *testing.T, n int) *testBundle {
	t.Helper()
	b := &testBundle{tdb: testdb.New(t), keyFile: filepath.Join(t.TempDir(), "a.key")}
	for range n {
		b.addOrg(t, b.keyFile)
	}
	return b
}

// addOrg adds an organization whose data key the master key in keyFile
// wraps, with a connection connected and synced.
func (b *testBundle) addOrg(t *testing.T, keyFile string) tenant {
	t.Helper()
	e := synctest.New(t, synctest.Options{DB: b.tdb, KeyFile: keyFile})
	org := tenant{env: e, conn: e.Connect(t)}
	org.sync(t, e.Vault.Keyring)
	b.orgs = append(b.orgs, org)
	return org
}

// sync syncs the organization's connection with only kr's keys.
func (o tenant) sync(t *testing.T, kr *keyring.Keyring) {
	t.Helper()
	o.env.Vault.Keyring = kr
	out, err := o.env.Sync(t, o.conn)
	require.NoError(t, err)
	require.Equal(t, syncer.StatusSucceeded, out.Status)
}

// localKey opens the master key in path, creating it.
func localKey(t *testing.T, path string) *keyring.LocalWrapper {
	t.Helper()
	w, err := keyring.OpenLocalKeyFile(path, true)
	require.NoError(t, err)
	return w
}

// newLocalKey creates a master key in a new file.
func newLocalKey(t *testing.T) *keyring.LocalWrapper {
	t.Helper()
	return localKey(t, filepath.Join(t.TempDir(), "master.key"))
}

// service rotates to kr's current key from its previous ones.
func (b *testBundle) service(kr *keyring.Keyring) *rotation.Service {
	return &rotation.Service{Pool: b.tdb.Pool, Clock: clock.NewFake(time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)), Vault: &vault.Vault{Keyring: kr}}
}

// dataKey returns the organization's wrapped data key.
func (b *testBundle) dataKey(t *testing.T, orgID uuid.UUID) []byte {
	t.Helper()
	var wrapped []byte
	b.inOrg(t, orgID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT wrapped_data_key FROM organizations`).Scan(&wrapped)
	})
	return wrapped
}

// credentials returns the sealed values of the organization's connections
// and authorization flows.
func (b *testBundle) credentials(t *testing.T, orgID uuid.UUID) [][]byte {
	t.Helper()
	var out [][]byte
	b.inOrg(t, orgID, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), `
			SELECT v FROM (SELECT id::text AS k, client_secret_sealed AS v FROM connections
			UNION ALL SELECT id::text || 'r', refresh_token_sealed FROM connections
			UNION ALL SELECT encode(state_hash, 'hex'), verifier_sealed FROM oauth_flows) s
			WHERE v IS NOT NULL ORDER BY k`)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[[]byte])
		return err
	})
	return out
}

// auditDetails returns the details of the organization's audit rows with
// action, oldest first.
func (b *testBundle) auditDetails(t *testing.T, orgID uuid.UUID, action string) []map[string]any {
	t.Helper()
	var raws [][]byte
	b.inOrg(t, orgID, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), `SELECT details FROM audit_log WHERE action = $1 ORDER BY seq`, action)
		if err != nil {
			return err
		}
		raws, err = pgx.CollectRows(rows, pgx.RowTo[[]byte])
		return err
	})
	out := make([]map[string]any, len(raws))
	for i, raw := range raws {
		require.NoError(t, json.Unmarshal(raw, &out[i]))
	}
	return out
}

func (b *testBundle) inOrg(t *testing.T, orgID uuid.UUID, fn func(pgx.Tx) error) {
	t.Helper()
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, orgID, fn))
}

// requireSummary checks a summary's counts and that nothing failed
// unexpectedly.
func requireSummary(t *testing.T, sum rotation.Summary, counts map[rotation.Outcome]int) {
	t.Helper()
	for _, o := range []rotation.Outcome{rotation.Rewrapped, rotation.Current, rotation.NoDataKey, rotation.Failed} {
		require.Equal(t, counts[o], sum.Count(o), "%s in %+v", o, sum.Orgs)
	}
}
