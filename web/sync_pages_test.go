package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/webtest"
	"github.com/attesthq/attest/views/components"
)

// connectAndSync connects the simulated tenant and runs its first sync.
func (b *bundle) connectAndSync(t *testing.T, c *webtest.Client) (string, uuid.UUID) {
	t.Helper()
	path := b.connect(t, c)
	id := uuid.MustParse(strings.TrimPrefix(path, "/o/acme/connections/"))
	b.sync(t, id)
	return path, id
}

func TestConnectionPageShowsChecksDatasetsAndSyncLog(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	path := b.connect(t, c)

	// Right after connecting, the first sync is queued and the region polls.
	live := c.Get(path).Doc(t).Find(`[data-testid="live"]`)
	require.Equal(t, "queued", live.AttrOr("data-active", ""))
	require.Equal(t, "every 2s", live.AttrOr("hx-trigger", ""))
	require.Equal(t, "after this one", strings.TrimSpace(live.Find(`[data-testid="next-sync"]`).Text()))
	polled := c.Do(htmxGet(t, c, path+"/live")).Doc(t)
	require.Zero(t, polled.Find(`#flashes[hx-swap-oob]`).Length(), "the flash stays while the sync runs")

	b.sync(t, uuid.MustParse(strings.TrimPrefix(path, "/o/acme/connections/")))
	clearJobs(t, b)
	doc := c.Get(path).Doc(t)
	require.Equal(t, "", doc.Find(`[data-testid="live"]`).AttrOr("data-active", "x"), "no polling once idle")
	require.Equal(t, 6, doc.Find(`[data-testid="check-row"]`).Length())
	require.Equal(t, 5, doc.Find(`[data-testid="dataset-row"][data-status="ok"]`).Length())
	require.Equal(t, 1, doc.Find(`[data-testid="run-row"][data-status="succeeded"]`).Length())
	require.Equal(t, "Fresh", doc.Find(`[data-testid="freshness"]`).Text())

	// The live fragment alone, as htmx polls it.
	frag := c.Do(htmxGet(t, c, path+"/live"))
	require.Equal(t, http.StatusOK, frag.StatusCode)
	require.True(t, strings.HasPrefix(strings.TrimSpace(frag.Text()), `<div id="live"`), frag.Text()[:80])
	// The poll that finds the sync over also empties the page's flashes
	// ("The first sync has started" is out of date by then).
	require.Equal(t, 1, frag.Doc(t).Find(`#flashes[hx-swap-oob="true"]`).Length())
}

func TestSyncNowQueuesOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	path, _ := b.connectAndSync(t, c)
	clearJobs(t, b)
	c.Get(path)
	hx := http.Header{"HX-Request": {"true"}, "X-Csrf-Token": {c.CSRF}}
	r := c.PostRaw(path+"/sync", url.Values{}, hx)
	require.Equal(t, http.StatusOK, r.StatusCode)
	require.Equal(t, "Sync queued.", r.Doc(t).Find(`[data-testid="sync-message"]`).Text())
	require.Equal(t, "queued", r.Doc(t).Find(`[data-testid="live"]`).AttrOr("data-active", ""))
	r = c.PostRaw(path+"/sync", url.Values{}, hx)
	require.Equal(t, "A sync of this connection is already queued or running.", r.Doc(t).Find(`[data-testid="sync-message"]`).Text())
	require.Equal(t, 1, jobCount(t, b))

	// Without JavaScript the form still works, with a redirect and a flash.
	r = c.Post(path+"/sync", nil)
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	require.Contains(t, c.Get(path).Text(), "already queued or running")
}

func TestCheckSubjectsAndExclusions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	path, connID := b.connectAndSync(t, c)
	checkPath := path + "/checks/" + entra.CheckMFAMembers

	page := c.Get(checkPath)
	require.Equal(t, http.StatusOK, page.StatusCode)
	doc := page.Doc(t)
	require.Equal(t, "Failing", doc.Find(`[data-testid="check-status"]`).Text())
	rows := doc.Find(`[data-testid="subject-row"]`)
	require.Positive(t, rows.Length())
	subject := rows.First().AttrOr("data-subject", "")
	failingBefore := doc.Find(`[data-testid="failing-count"]`).Text()

	// Bad input is explained and loses nothing.
	r := c.Post(checkPath+"/exclusions", url.Values{"subject": {subject}, "reason": {"x"}, "expires": {"2027-01-01"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode)
	require.Contains(t, r.Doc(t).Find(`[data-testid="exclude-error"]`).Text(), "reason")
	r = c.Post(checkPath+"/exclusions", url.Values{"subject": {"not-failing"}, "reason": {"Service account"}, "expires": {"2027-01-01"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode)

	r = c.Post(checkPath+"/exclusions", url.Values{"subject": {subject}, "reason": {"Break-glass account, monitored"}, "expires": {"2027-01-01"}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	doc = c.Get(checkPath).Doc(t)
	require.Equal(t, "true", doc.Find(`[data-subject="`+subject+`"]`).AttrOr("data-excluded", ""))
	require.NotEqual(t, failingBefore, doc.Find(`[data-testid="failing-count"]`).Text(), "the exclusion applies at once")
	require.Contains(t, b.auditActions(t, b.org.ID), "check.exclude")
	require.Equal(t, 1, c.Get(path).Doc(t).Find(`[data-testid="exclusions-table"] tbody tr`).Length())

	// The next sync keeps honouring it.
	b.sync(t, connID)
	var excluded int
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT subjects_excluded FROM check_current WHERE check_key = $1`, entra.CheckMFAMembers).Scan(&excluded)
	}))
	require.Equal(t, 1, excluded)

	// An auditor sees the exclusion and no control to add one.
	a := b.client(t)
	a.Login(auditorEmail, auditPassword)
	adoc := a.Get(checkPath).Doc(t)
	require.Zero(t, adoc.Find(`[data-testid="exclude-form"]`).Length())
	require.Contains(t, adoc.Text(), "Break-glass account, monitored")
}

func TestEvidenceListAndDetail(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	_, connID := b.connectAndSync(t, c)

	list := c.Follow("/o/acme/evidence")
	require.Equal(t, http.StatusOK, list.StatusCode)
	require.Equal(t, 50, list.Doc(t).Find(`[data-testid="evidence-row"]`).Length())
	var total int64
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM evidence`).Scan(&total)
	}))
	require.Greater(t, total, int64(50))
	require.Equal(t, components.Int(total)+" records match these filters.", list.Doc(t).Find(`[data-testid="evidence-total"]`).Text(),
		"the total counts every page, not the one shown")
	next, ok := list.Doc(t).Find(`a[rel="next"]`).Attr("href")
	require.True(t, ok)
	require.Equal(t, 50, c.Get(next).Doc(t).Find(`[data-testid="evidence-row"]`).Length())

	policies := c.Get("/o/acme/evidence?kind=" + entra.KindCAPolicy + "&connection=" + connID.String())
	rows := policies.Doc(t).Find(`[data-testid="evidence-row"]`)
	policyCount := len(b.sim.Tenant("8f3c2a6e-5b1d-4e7f-9a20-6c4d8e0f1b35").Policies())
	require.Equal(t, policyCount, rows.Length())
	require.Equal(t, components.Count(int64(policyCount), "record matches", "records match")+" these filters.",
		policies.Doc(t).Find(`[data-testid="evidence-total"]`).Text())

	bad := c.Get("/o/acme/evidence?from=yesterday")
	require.Equal(t, http.StatusOK, bad.StatusCode)
	require.Contains(t, bad.Text(), "is not a date")

	href := rows.First().Find("a").AttrOr("href", "")
	detail := c.Get(href)
	require.Equal(t, http.StatusOK, detail.StatusCode)
	d := detail.Doc(t)
	require.Len(t, d.Find(`[data-testid="fingerprint"]`).Text(), 64)
	fields := d.Find(`[data-testid="typed-fields"] dt`).Text()
	require.Contains(t, fields, "Requires MFA", "field names read as labels")
	require.NotContains(t, fields, "requires_mfa")
	require.Contains(t, d.Find(`[data-testid="raw-payload"]`).Text(), `"state"`)
	require.Equal(t, 1, d.Find(`[data-testid="observing-runs"] li`).Length())

	// Another organization's record answers 404.
	other, err := b.accounts.CreateOrg(context.Background(), "Globex", "globex", audit.SystemActor("test"))
	require.NoError(t, err)
	b.member(t, other.ID, "owner@globex.test", ownerPassword, account.RoleOwner, nil)
	g := b.client(t)
	g.Login("owner@globex.test", ownerPassword)
	id := href[strings.LastIndex(href, "/"):]
	require.Equal(t, http.StatusNotFound, g.Get("/o/globex/evidence"+id).StatusCode)
	require.Equal(t, http.StatusNotFound, g.Get("/o/globex/connections/"+connID.String()).StatusCode)
}

func htmxGet(t *testing.T, c *webtest.Client, path string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.Base+path, nil)
	require.NoError(t, err)
	req.Header.Set("HX-Request", "true")
	return req
}

// clearJobs stands in for a worker finishing the queued jobs.
func clearJobs(t *testing.T, b *bundle) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), b.tdb.AdminURL)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	_, err = conn.Exec(context.Background(), `DELETE FROM river_job`)
	require.NoError(t, err)
}

func jobCount(t *testing.T, b *bundle) int {
	t.Helper()
	var n int
	require.NoError(t, b.tdb.Pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'sync_connection'`).Scan(&n))
	return n
}

func TestCheckSubjectsSortByNameOrLongestFailing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	path, connID := b.connectAndSync(t, c)
	checkPath := path + "/checks/" + entra.CheckInactive
	ctx := context.Background()
	// Subjects started failing at different times: reverse name order.
	var byName, bySince []string
	require.NoError(t, db.InOrg(ctx, b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE check_failures f SET since = f.since - make_interval(days => n.n::int)
			FROM (SELECT subject_key, row_number() OVER (ORDER BY subject_label, subject_key) AS n
			      FROM check_failures WHERE connection_id = $1 AND check_key = $2) n
			WHERE f.connection_id = $1 AND f.check_key = $2 AND f.subject_key = n.subject_key`, connID, entra.CheckInactive); err != nil {
			return err
		}
		for query, dst := range map[string]*[]string{"subject_label, subject_key": &byName, "since, subject_label": &bySince} {
			rows, err := tx.Query(ctx, `SELECT subject_key FROM check_failures WHERE connection_id = $1 AND check_key = $2 ORDER BY `+query, connID, entra.CheckInactive)
			if err != nil {
				return err
			}
			if *dst, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
				return err
			}
		}
		return nil
	}))
	require.Greater(t, len(byName), 1)
	require.NotEqual(t, byName, bySince)

	shown := func(doc *goquery.Document) []string {
		var keys []string
		doc.Find(`[data-testid="subject-row"]`).Each(func(_ int, s *goquery.Selection) { keys = append(keys, s.AttrOr("data-subject", "")) })
		return keys
	}
	doc := c.Get(checkPath).Doc(t)
	require.Equal(t, byName, shown(doc), "by name unless asked otherwise")
	require.Equal(t, "ascending", doc.Find(`th:has([data-testid="sort-subject"])`).AttrOr("aria-sort", ""))

	doc = c.Get(checkPath + "?sort=since").Doc(t)
	require.Equal(t, bySince, shown(doc), "longest failing first")
	require.Equal(t, "ascending", doc.Find(`th:has([data-testid="sort-since"])`).AttrOr("aria-sort", ""))
	require.Equal(t, "none", doc.Find(`th:has([data-testid="sort-subject"])`).AttrOr("aria-sort", ""))

	// An unknown order falls back to names rather than failing.
	require.Equal(t, byName, shown(c.Get(checkPath+"?sort=bogus").Doc(t)))
}
