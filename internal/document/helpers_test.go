package document_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/document"
	"github.com/attesthq/attest/internal/testdb"
)

// fixture is an organization with an owner and the document service.
type fixture struct {
	db    *testdb.DB
	clock *clock.Fake
	svc   *document.Service
	org   dbsqlc.Organization
	owner dbsqlc.User
	actor audit.Actor
}

func setup(t *testing.T, store document.Store) *fixture {
	t.Helper()
	tdb := testdb.New(t)
	clk := clock.NewFake(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	accounts := &account.Service{Pool: tdb.Pool, Clock: clk}
	org, err := accounts.CreateOrg(context.Background(), "Acme Corp", "acme", audit.SystemActor("test"))
	require.NoError(t, err)
	hasher, err := auth.NewHasher(argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
	require.NoError(t, err)
	owner, err := accounts.AddMember(context.Background(), hasher, org.ID, account.Member{Email: "owner@acme.test",
		Password: "an owner's long password", Role: account.RoleOwner}, audit.SystemActor("test"))
	require.NoError(t, err)
	return &fixture{db: tdb, clock: clk, org: org, owner: owner, actor: audit.UserActor(owner.ID, owner.Email),
		svc: &document.Service{Pool: tdb.Pool, Clock: clk, Store: store, TempDir: t.TempDir(), MaxBytes: 1 << 20}}
}

const policyPDF = "%PDF-1.7\nAccess control policy, v1\n%%EOF\n"

func (f *fixture) details(criteria ...string) document.Details {
	return document.Details{Title: "Access control policy", Description: "Who gets access to what.", OwnerID: f.owner.ID,
		Cadence: document.CadenceYearly, Criteria: criteria}
}

func (f *fixture) create(t *testing.T, content string, criteria ...string) dbsqlc.Document {
	t.Helper()
	doc, err := f.svc.Create(context.Background(), f.org.ID, f.actor, f.details(criteria...),
		document.Content{FileName: "policy.pdf", Body: bytes.NewReader([]byte(content))})
	require.NoError(t, err)
	return doc
}

func (f *fixture) revisions(t *testing.T, docID uuid.UUID) []dbsqlc.DocumentRevisionsRow {
	t.Helper()
	var out []dbsqlc.DocumentRevisionsRow
	require.NoError(t, db.InOrg(context.Background(), f.db.Pool, f.org.ID, func(tx pgx.Tx) error {
		var err error
		out, err = dbsqlc.New().DocumentRevisions(context.Background(), tx, docID)
		return err
	}))
	return out
}

// count runs a count query in the organization, as the application role.
func (f *fixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, db.InOrg(context.Background(), f.db.Pool, f.org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), query, args...).Scan(&n)
	}))
	return n
}
