package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/audit"
)

func TestAuditLogNarrowsToOneConnectionAcrossPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	path, connID := b.connectAndSync(t, c)
	target := "Connection Contoso (simulated)"
	ctx := context.Background()
	// Enough of the connection's entries for two pages.
	require.NoError(t, db.InOrg(ctx, b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		for range 60 {
			if err := audit.Record(ctx, tx, b.org.ID, b.clock.Now(), audit.SystemActor("test"),
				audit.Event{Action: "connection.sync", TargetType: "connection", TargetID: connID.String()}); err != nil {
				return err
			}
		}
		return nil
	}))
	var want int
	require.NoError(t, db.InOrg(ctx, b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE target_type = 'connection' AND target_id = $1`, connID.String()).Scan(&want)
	}))

	link, ok := c.Get(path).Doc(t).Find(`[data-testid="full-history"]`).Attr("href")
	require.True(t, ok, "the connection links to its full history")
	targets := func(doc *goquery.Document) []string {
		var out []string
		doc.Find(`[data-testid="audit-row"] td:nth-child(5)`).Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
		return out
	}
	seen := 0
	for page := 0; link != ""; page++ {
		require.Less(t, page, 5, "paging ends")
		r := c.Get(link)
		require.Equal(t, http.StatusOK, r.StatusCode)
		doc := r.Doc(t)
		require.Contains(t, doc.Find(`[data-testid="audit-target"]`).Text(), "this connection")
		for _, got := range targets(doc) {
			require.Equal(t, target, got)
			seen++
		}
		link = doc.Find(`a[rel="next"]`).AttrOr("href", "")
		require.True(t, link == "" || strings.Contains(link, "target=connection%3A"+connID.String()), link)
	}
	require.Equal(t, want, seen, "every entry about the connection, and only those")

	// A malformed target narrows nothing and says nothing.
	doc := c.Get("/o/" + b.org.Slug + "/audit?target=connection:not-an-id").Doc(t)
	require.Zero(t, doc.Find(`[data-testid="audit-target"]`).Length())
	require.Equal(t, doc.Find(`[data-testid="audit-row"]`).Map(func(_ int, s *goquery.Selection) string { return s.Text() }),
		c.Get("/o/"+b.org.Slug+"/audit").Doc(t).Find(`[data-testid="audit-row"]`).Map(func(_ int, s *goquery.Selection) string { return s.Text() }))

	// The action families include connections and syncs.
	doc = c.Get("/o/" + b.org.Slug + "/audit?action=connection.").Doc(t)
	require.Positive(t, doc.Find(`[data-testid="audit-row"]`).Length())
	doc.Find(`[data-testid="audit-row"]`).Each(func(_ int, s *goquery.Selection) {
		require.True(t, strings.HasPrefix(s.AttrOr("data-action", ""), "connection."), s.AttrOr("data-action", ""))
	})
}

func TestAuditLogReadsAsWordsWithNamedTargetsAndLabelledDetails(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	path, connID := b.connectAndSync(t, c)
	require.Equal(t, http.StatusSeeOther, c.Post(path+"/revoke", nil).StatusCode)

	doc := c.Get("/o/acme/audit?action=connection.").Doc(t)
	row := doc.Find(`[data-testid="audit-row"][data-action="connection.revoke"]`).First()
	require.Equal(t, "Connection revoked", row.Find(`[data-testid="audit-action"]`).Text())
	require.Equal(t, "connection.revoke", row.Find(`[data-testid="audit-action"]`).AttrOr("title", ""), "the recorded name stays at hand")
	target := row.Find(`[data-testid="entry-target"]`)
	require.Equal(t, "Connection Contoso (simulated)", strings.TrimSpace(target.Text()))
	require.Equal(t, path, target.Find("a").AttrOr("href", ""))
	require.NotContains(t, doc.Text(), connID.String(), "targets are named, not numbered")

	// Details are labelled fields, not JSON.
	sync := doc.Find(`[data-testid="audit-row"][data-action="connection.sync"]`).First()
	require.Equal(t, "Sync finished", sync.Find(`[data-testid="audit-action"]`).Text())
	details := sync.Find(`[data-testid="audit-details"]`)
	require.Positive(t, details.Find("dt").Length())
	require.NotContains(t, details.Text(), "{")
	details.Find("dt").Each(func(_ int, dt *goquery.Selection) {
		require.NotContains(t, dt.Text(), "_", "labels, not snake_case")
	})

	// A sign-in is about the member, named by email.
	login := c.Get("/o/acme/audit?action=auth.").Doc(t).Find(`[data-testid="audit-row"][data-action="auth.login"]`).First()
	require.Equal(t, "Signed in", login.Find(`[data-testid="audit-action"]`).Text())
	require.Contains(t, login.Find(`[data-testid="entry-target"]`).Text(), ownerEmail)
}

func TestAuditDetailsShowTimesAndDaysInTheDisplayFormats(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	ctx := context.Background()
	require.NoError(t, db.InOrg(ctx, b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		return audit.Record(ctx, tx, b.org.ID, b.clock.Now(), audit.SystemActor("test"), audit.Event{Action: "check.exclude",
			Details: map[string]any{"expires_at": "2027-01-01T23:59:59Z", "period_start": "2026-11-02", "categories": []string{}, "excluded": true}})
	}))
	row := c.Get("/o/acme/audit?action=check.").Doc(t).Find(`[data-testid="audit-row"]`).First()
	got := map[string]string{}
	row.Find(`[data-testid="audit-details"] div`).Each(func(_ int, s *goquery.Selection) {
		got[s.Find("dt").Text()] = s.Find("dd").Text()
	})
	require.Equal(t, map[string]string{"Expires at": "1 Jan 2027, 23:59 UTC", "Period start": "2 Nov 2026", "Categories": "—", "Excluded": "yes"}, got)
	require.Equal(t, "Subject excluded from a check", row.Find(`[data-testid="audit-action"]`).Text())
}
