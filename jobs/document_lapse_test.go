package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/alert"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/auth"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/internal/document"
	"github.com/attesthq/attest/internal/synctest"
	"github.com/attesthq/attest/jobs"
)

// openDocumentAlerts lists the kinds of the document alerts open now.
func openDocumentAlerts(t *testing.T, e *synctest.Env) []string {
	t.Helper()
	var kinds []string
	require.NoError(t, db.InOrg(context.Background(), e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), `SELECT kind FROM alerts WHERE document_id IS NOT NULL AND resolved_at IS NULL ORDER BY kind`)
		if err != nil {
			return err
		}
		kinds, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	}))
	return kinds
}

// reminderPayload is the webhook body the open document alert would be
// delivered with.
func reminderPayload(t *testing.T, e *synctest.Env) alert.Payload {
	t.Helper()
	var p alert.Payload
	require.NoError(t, db.InOrg(context.Background(), e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		var id uuid.UUID
		if err := tx.QueryRow(context.Background(), `SELECT id FROM alerts WHERE document_id IS NOT NULL AND resolved_at IS NULL`).Scan(&id); err != nil {
			return err
		}
		a, err := dbsqlc.New().AlertGet(context.Background(), tx, id)
		p = alert.NewPayload(e.Org, a, alert.EventOpened, e.Clock.Now())
		return err
	}))
	return p
}

// documentCurrent reads the coverage input's view of the one document.
func documentCurrent(t *testing.T, e *synctest.Env) bool {
	t.Helper()
	var in coverage.Input
	require.NoError(t, db.InOrg(context.Background(), e.DB.Pool, e.Org.ID, func(tx pgx.Tx) error {
		var err error
		in, err = coverage.Load(context.Background(), tx, connector.NewRegistry(), e.Clock.Now(), coverage.InScope(nil))
		return err
	}))
	require.Len(t, in.Documents, 1)
	require.Equal(t, []string{"CC1.1"}, in.Documents[0].Criteria)
	return in.Documents[0].Current
}

// A monthly document: reminded 14 days before its review date, lapsed (and
// its criteria stale) the day after it, and a new revision resolves both.
func TestADocumentIsRemindedThenLapsesAndANewRevisionResolvesIt(t *testing.T) {
	t.Parallel()
	e := synctest.New(t, synctest.Options{})
	ctx := context.Background()
	hasher, err := auth.NewHasher(argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
	require.NoError(t, err)
	owner, err := e.Accounts.AddMember(ctx, hasher, e.Org.ID, account.Member{Email: "policy-owner@acme.test",
		Password: "a policy owner's password", Role: account.RoleAdmin, DisplayName: "Pat Policy"}, audit.SystemActor("test"))
	require.NoError(t, err)
	actor := audit.UserActor(owner.ID, owner.Email)
	svc := &document.Service{Pool: e.DB.Pool, Clock: e.Clock, TempDir: t.TempDir()}
	doc, err := svc.Create(ctx, e.Org.ID, actor, document.Details{Title: "Code of conduct", OwnerID: owner.ID,
		Cadence: document.CadenceMonthly, Criteria: []string{"CC1.1"}}, document.Content{FileName: "conduct.md", Body: strings.NewReader("# Code of conduct\n")})
	require.NoError(t, err)
	require.Equal(t, time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), doc.NextReviewOn)

	reconcile := func() int {
		n, err := jobs.ReconcileDocumentAlerts(ctx, e.DB.Pool, e.Clock, nil)
		require.NoError(t, err)
		return n
	}
	require.Zero(t, reconcile())
	e.Clock.Advance(15 * 24 * time.Hour) // 2026-11-17: 15 days before
	require.Zero(t, reconcile())
	require.Empty(t, openDocumentAlerts(t, e))

	e.Clock.Advance(24 * time.Hour) // 14 days before: the owner is reminded, once
	require.Equal(t, 1, reconcile())
	require.Zero(t, reconcile())
	require.Equal(t, []string{string(document.KindReviewDue)}, openDocumentAlerts(t, e))
	require.True(t, documentCurrent(t, e))
	reminder := reminderPayload(t, e)
	require.Equal(t, &alert.PayloadPerson{Email: "policy-owner@acme.test", Name: "Pat Policy"}, reminder.Alert.Assignee,
		"the reminder is addressed to the document's owner, and the webhook says so")

	e.Clock.Advance(14 * 24 * time.Hour) // the review day itself: still current
	require.Zero(t, reconcile())
	require.True(t, documentCurrent(t, e))

	e.Clock.Advance(24 * time.Hour) // the day after: lapsed, the reminder gives way
	require.Equal(t, 1, reconcile())
	require.Equal(t, []string{string(document.KindLapsed)}, openDocumentAlerts(t, e))
	require.False(t, documentCurrent(t, e), "a lapsed document makes its criteria stale")

	_, err = svc.Revise(ctx, e.Org.ID, actor, doc.ID, document.Content{FileName: "conduct.md", Body: strings.NewReader("# Code of conduct, reviewed\n")})
	require.NoError(t, err)
	require.Empty(t, openDocumentAlerts(t, e), "the new revision resolves the lapse")
	require.True(t, documentCurrent(t, e))
	require.Zero(t, reconcile())
	require.Equal(t, 2, e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'alert.open' AND target_type = 'document'`))
	require.Equal(t, 2, e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'alert.resolve' AND target_type = 'document'`))
}
