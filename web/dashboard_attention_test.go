package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/webtest"
	"github.com/attesthq/attest/views/components"
)

// attentionItem is one row of the dashboard's "needs attention" list.
type attentionItem struct{ kind, title, href string }

func attentionItems(doc *goquery.Document) []attentionItem {
	var out []attentionItem
	doc.Find(`[data-testid="attention-item"]`).Each(func(_ int, s *goquery.Selection) {
		a := s.Find(".attention-title")
		out = append(out, attentionItem{kind: s.AttrOr("data-kind", ""), title: strings.TrimSpace(a.Text()), href: a.AttrOr("href", "")})
	})
	return out
}

// addDocumentDue adds a document through the form with its own title and
// review date, returning its page's path.
func (b *bundle) addDocumentDue(t *testing.T, c *webtest.Client, title string, reviewOn time.Time) string {
	t.Helper()
	owner := c.Get("/o/acme/documents/new").Doc(t).Find(`select[name="owner"] option[selected]`).AttrOr("value", "")
	fields := newDocumentFields(c, owner, "CC1.1")
	fields[1].value, fields[4].value = title, "date"
	fields = append(fields, field{"review_on", reviewOn.Format(time.DateOnly)})
	r := upload(t, c, "/o/acme/documents", fields, "policy.pdf", strings.NewReader(policyPDF))
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	return r.Location()
}

// tamper changes every stored document byte string behind the application's
// back.
func tamper(t *testing.T, b *bundle) {
	t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, b.tdb.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	_, err = admin.Exec(ctx, `SET session_replication_role = replica`)
	require.NoError(t, err)
	_, err = admin.Exec(ctx, `UPDATE document_blobs SET chunk = overlay(chunk PLACING 'X'::bytea FROM 12 FOR 1)`)
	require.NoError(t, err)
}

var failingSubjects = regexp.MustCompile(`: ([0-9,]+) failing subjects?$`)

func TestDashboardNeedsAttentionListsWhatToFixMostImpactFirst(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	connPath, connID := b.connectAndSync(t, c)
	start := b.clock.Now()
	lapsing := b.addDocumentDue(t, c, "Access review procedure", start.AddDate(0, 0, 20))
	due := b.addDocumentDue(t, c, "Incident response plan", start.AddDate(0, 0, 40))
	sound := b.addDocumentDue(t, c, "Information security policy", start.AddDate(0, 6, 0))

	// A month later: the connection's credentials were refused after a last
	// good sync, the first document lapsed, the second is due in ten days,
	// and the third's stored bytes changed (an alert about something nothing
	// else lists).
	b.clock.Advance(30 * 24 * time.Hour)
	c.Login(ownerEmail, ownerPassword)
	b.sync(t, connID)
	setStatus(t, b, connID, "needs_reauth")
	reconcile(t, b)
	tamper(t, b)
	href := c.Get(sound).Doc(t).Find(`[data-testid="download"]`).AttrOr("href", "")
	require.Equal(t, http.StatusConflict, c.Get(href).StatusCode)

	items := attentionItems(c.Get("/o/acme/").Doc(t))
	var kinds []string
	for _, it := range items {
		if len(kinds) == 0 || kinds[len(kinds)-1] != it.kind {
			kinds = append(kinds, it.kind)
		}
	}
	require.Equal(t, []string{"needs_reauth", "failing_check", "document_lapsed", "alert", "document_review_due"}, kinds,
		"most impact first; the connection's and documents' own alerts are not listed twice")

	require.Equal(t, attentionItem{"needs_reauth", "Contoso (simulated) needs re-authorization", connPath}, items[0])
	last := len(items) - 1
	require.Equal(t, attentionItem{"document_review_due", "Incident response plan is due for review on 12 Dec 2026", due}, items[last])
	require.Equal(t, attentionItem{"alert", "A file of Information security policy no longer matches its hash", "/o/acme/alerts"}, items[last-1])
	require.Equal(t, attentionItem{"document_lapsed", "Access review procedure has lapsed", lapsing}, items[last-2])

	// Failing checks come most failing subjects first, each linking to its
	// check page, whose count it repeats.
	prev := -1
	for _, it := range items[1 : last-2] {
		require.True(t, strings.HasPrefix(it.href, connPath+"/checks/"), it.href)
		m := failingSubjects.FindStringSubmatch(it.title)
		require.NotNil(t, m, it.title)
		n, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
		require.NoError(t, err)
		if prev >= 0 {
			require.LessOrEqual(t, n, prev, "most failing subjects first")
		}
		prev = n
		page := c.Get(it.href)
		require.Equal(t, http.StatusOK, page.StatusCode)
		require.Equal(t, m[1], page.Doc(t).Find(`[data-testid="failing-count"]`).Text())
	}
	for _, it := range items {
		require.Equal(t, http.StatusOK, c.Get(it.href).StatusCode, it.href)
	}

	// Once the evidence is stale, its failing checks give way to the stale
	// connection, as they do in coverage.
	setStatus(t, b, connID, "active")
	b.clock.Advance(7 * time.Hour)
	c.Login(ownerEmail, ownerPassword)
	items = attentionItems(c.Get("/o/acme/").Doc(t))
	require.Equal(t, attentionItem{"stale", "Evidence from Contoso (simulated) is stale", connPath}, items[0])
	for _, it := range items {
		require.NotEqual(t, "failing_check", it.kind, it.title)
	}
}

// The list shows the first ten items; "Show more" lists them all, keeping
// the tiles' filter.
func TestDashboardNeedsAttentionShowsTheFirstTenThenAll(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	start := b.clock.Now()
	for i := range 12 {
		b.addDocumentDue(t, c, fmt.Sprintf("Policy %02d", i), start.AddDate(0, 0, 2+i))
	}
	doc := c.Get("/o/acme/?state=no_evidence").Doc(t)
	items := attentionItems(doc)
	require.Len(t, items, 10)
	require.Equal(t, "Policy 00 is due for review on "+components.Day(start.AddDate(0, 0, 2)), items[0].title)
	more := doc.Find(`[data-testid="attention-more"]`)
	require.Equal(t, "Show 2 more items", strings.Join(strings.Fields(more.Text()), " "))
	href := more.AttrOr("href", "")
	require.Equal(t, "/o/acme/?attention=all&state=no_evidence", href)

	all := c.Get(href).Doc(t)
	require.Len(t, attentionItems(all), 12)
	require.Equal(t, items, attentionItems(all)[:10])
	require.Zero(t, all.Find(`[data-testid="attention-more"]`).Length())
}

func TestDashboardNeedsNothingWhenAllIsWell(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	doc := c.Get("/o/acme/").Doc(t)
	require.Empty(t, attentionItems(doc))
	require.Equal(t, 1, doc.Find(`[data-testid="attention-none"]`).Length())
}

func TestDashboardTilesFilterByStateAndSortWithoutJavaScript(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	b.connectAndSync(t, c)
	home := c.Get("/o/acme/").Doc(t)
	failing := count(home, "count-failing")
	require.NotEqual(t, "0", failing)

	// An auditor reads the same "needs attention" list, without the buttons
	// to fix things.
	require.Positive(t, home.Find(`[data-testid="attention-action"]`).Length())
	a := b.client(t)
	a.Login(auditorEmail, auditPassword)
	seen := a.Get("/o/acme/").Doc(t)
	require.Equal(t, attentionItems(home), attentionItems(seen))
	require.Zero(t, seen.Find(`[data-testid="attention-action"]`).Length())

	// Filtering is a plain link, and keeps only that state.
	link := home.Find(`[data-testid="tile-filter"] a[data-value="failing"]`)
	require.Equal(t, failing, link.Find(".muted").Text())
	doc := c.Get(link.AttrOr("href", "")).Doc(t)
	shown := tiles(t, doc)
	require.Equal(t, failing, strconv.Itoa(len(shown)))
	for id, st := range shown {
		require.Equal(t, "failing", st, id)
	}
	require.Equal(t, "page", doc.Find(`[data-testid="tile-filter"] a[data-value="failing"]`).AttrOr("aria-current", ""))

	// Ordered by state, each category's failing controls come first; the
	// filter is kept.
	sorted := c.Get("/o/acme/?sort=state").Doc(t)
	var order []string
	sorted.Find(`[data-testid="control-tile"]`).Each(func(_ int, s *goquery.Selection) { order = append(order, s.AttrOr("data-status", "")) })
	require.Len(t, order, 33)
	n, err := strconv.Atoi(failing)
	require.NoError(t, err)
	for i, st := range order {
		require.Equal(t, i < n, st == "failing", "tile %d is %s", i, st)
	}
	byState := sorted.Find(`[data-testid="tile-sort"] a[data-value="state"]`)
	require.Equal(t, "page", byState.AttrOr("aria-current", ""))
	require.Contains(t, sorted.Find(`[data-testid="tile-filter"] a[data-value="stale"]`).AttrOr("href", ""), "sort=state")

	// With htmx the panels swap in place and keep refreshing the same view.
	r := c.Do(htmxGet(t, c, "/o/acme/?state=failing"))
	require.Equal(t, http.StatusOK, r.StatusCode)
	require.NotContains(t, r.Text(), "<html")
	require.Equal(t, "/o/acme/?state=failing", r.Doc(t).Find(`[data-testid="dashboard"]`).AttrOr("hx-get", ""))

	// A state that does not exist shows everything.
	require.Len(t, tiles(t, c.Get("/o/acme/?state=bogus").Doc(t)), 33)
}
