package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/exclusion"
)

// TestPassingControlSaysItsEvidenceIsAutomated: once every failing subject
// of the connected checks is excluded, the controls they support pass, and
// the dashboard, the controls list and the control page say the evidence
// that made them pass is automated.
func TestPassingControlSaysItsEvidenceIsAutomated(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	_, connID := b.connectAndSync(t, c)

	type failure struct{ Check, Subject string }
	var failures []failure
	ctx := context.Background()
	require.NoError(t, db.InOrg(ctx, b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT check_key, subject_key FROM check_failures`)
		if err != nil {
			return err
		}
		failures, err = pgx.CollectRows(rows, pgx.RowToStructByPos[failure])
		return err
	}))
	var ownerID uuid.UUID
	require.NoError(t, db.InOrg(ctx, b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, ownerEmail).Scan(&ownerID)
	}))
	owner := audit.UserActor(ownerID, ownerEmail)
	svc := &exclusion.Service{Pool: b.tdb.Pool, Clock: b.clock}
	for _, f := range failures {
		require.NoError(t, svc.Create(ctx, b.org.ID, connID, owner, ownerID, f.Check, []string{f.Subject}, "Accepted for this test", b.clock.Now().Add(30*24*time.Hour)))
	}

	dash := c.Get("/o/acme/").Doc(t)
	passing := 0
	dash.Find(`[data-testid="control-tile"][data-status="passing"]`).Each(func(_ int, s *goquerySelection) {
		passing++
		require.Equal(t, "automated", s.AttrOr("data-evidence", ""), s.AttrOr("data-control", ""))
		require.Contains(t, s.Text(), "Automated evidence")
	})
	require.Positive(t, passing)
	dash.Find(`[data-testid="control-tile"]:not([data-status="passing"])`).Each(func(_ int, s *goquerySelection) {
		require.Empty(t, s.AttrOr("data-evidence", ""), s.AttrOr("data-control", ""))
	})
	for id, st := range rows(t, c, "?status=passing") {
		require.Equal(t, "passing", st)
		page := c.Get("/o/acme/controls/" + id)
		require.Equal(t, http.StatusOK, page.StatusCode)
		require.Equal(t, "Automated evidence", page.Doc(t).Find(`[data-testid="control-evidence"]`).Text(), id)
	}
}
