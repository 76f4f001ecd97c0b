package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/webtest"
)

// The platform operator the ops tests create: no organization role at all.
const (
	operatorEmail    = "ops@attest.test"
	operatorPassword = "operator passphrase 2026"
)

// operator makes the platform operator, as `attest operator create` does,
// and returns a browser signed in as it.
func (b *bundle) operator(t *testing.T) *webtest.Client {
	t.Helper()
	_, err := b.accounts.MakeOperator(context.Background(), b.tdb.URL, b.hasher, operatorEmail, operatorPassword)
	require.NoError(t, err)
	return b.operatorSignIn(t)
}

// operatorSignIn signs the operator in through the normal login form.
func (b *bundle) operatorSignIn(t *testing.T) *webtest.Client {
	t.Helper()
	c := b.client(t)
	r := c.Login(operatorEmail, operatorPassword)
	require.Equal(t, "/", r.Location())
	return c
}

// opsRow is one organization's row of the health page.
func opsRow(doc *goquerySelection, slug string) *goquerySelection {
	return doc.Find(`[data-testid="ops-org"][data-org="` + slug + `"]`)
}

func cell(row *goquerySelection, testid string) string {
	return strings.TrimSpace(row.Find(`[data-testid="` + testid + `"]`).Text())
}

func TestOperatorSeesPlatformHealth(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.owner(t)
	b.connectAndSync(t, owner)
	_, err := b.accounts.CreateOrg(context.Background(), "Globex Inc", "globex", audit.SystemActor("test"))
	require.NoError(t, err)

	c := b.operator(t)
	// An operator belongs to no organization: home leads to the console.
	home := c.Get("/")
	require.Equal(t, http.StatusSeeOther, home.StatusCode)
	require.Equal(t, "/ops", home.Location())
	r := c.Get("/ops")
	require.Equal(t, http.StatusOK, r.StatusCode)
	doc := r.Doc(t)
	require.Equal(t, "Platform health", strings.TrimSpace(doc.Find("h1").Text()))
	require.Equal(t, "/ops/jobs/", doc.Find(`[data-testid="jobs-link"]`).AttrOr("href", ""))

	page := doc.Selection
	acme, globex := opsRow(page, "acme"), opsRow(page, "globex")
	require.Equal(t, 1, acme.Length())
	require.Equal(t, 1, globex.Length())
	require.Equal(t, "1", cell(acme, "count-fresh"))
	for _, state := range []string{"count-awaiting", "count-stale", "count-needs_reauth", "count-failing", "count-pending", "count-alerts"} {
		require.Equal(t, "0", cell(acme, state), state)
		require.Equal(t, "0", cell(globex, state), state)
	}
	require.Equal(t, "0", cell(globex, "count-fresh"))
	require.Equal(t, "never", cell(globex, "oldest-success"))
	require.NotEqual(t, "never", cell(acme, "oldest-success"))
	require.Equal(t, b.clock.Now().UTC().Format(time.RFC3339), acme.Find(`[data-testid="oldest-success"] time`).AttrOr("datetime", ""))
	require.Equal(t, "1", strings.TrimSpace(doc.Find(`[data-testid="total-fresh"]`).Text()))

	// Counts only: nothing the connection collected is on the page.
	tenant := b.sim.Tenant(entrasim.DefaultTenantID)
	text := r.Text()
	for _, u := range tenant.Users() {
		for _, leak := range []string{u.ID, u.UserPrincipalName, u.DisplayName} {
			require.NotContains(t, text, leak)
		}
	}
	for _, p := range tenant.Policies() {
		require.NotContains(t, text, p.DisplayName)
	}
	require.NotContains(t, text, entrasim.DefaultTenantID)

	// Seven hours later the connection is stale (6 hours by default).
	b.clock.Advance(7 * time.Hour)
	acme = opsRow(b.operatorSignIn(t).Get("/ops").Doc(t).Selection, "acme")
	require.Equal(t, "0", cell(acme, "count-fresh"))
	require.Equal(t, "1", cell(acme, "count-stale"))
}

// jobsAPI sends a JSON request to the River UI's API with extra headers.
func jobsAPI(t *testing.T, c *webtest.Client, method, path, body string, header http.Header) *webtest.Response {
	t.Helper()
	req, err := http.NewRequest(method, c.Base+"/ops/jobs/api/"+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for k, vs := range header {
		req.Header[k] = vs
	}
	return c.Do(req)
}

// jobState reads a job's state from the River UI's API.
func jobState(t *testing.T, c *webtest.Client, id int64) string {
	t.Helper()
	r := jobsAPI(t, c, http.MethodGet, "jobs/"+jsonID(id), "", nil)
	require.Equal(t, http.StatusOK, r.StatusCode, r.Text())
	var job struct{ State string }
	require.NoError(t, json.Unmarshal(r.Body, &job))
	return job.State
}

func jsonID(id int64) string {
	b, _ := json.Marshal(id)
	return string(b)
}

func TestJobsConsoleAnswersOperatorsAndRefusesCrossSitePosts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	require.NoError(t, b.jobsUI.Start(t.Context()))
	owner := b.owner(t)
	b.connect(t, owner) // queues the first sync
	var jobID int64
	require.NoError(t, b.tdb.Pool.QueryRow(context.Background(), `SELECT id FROM river_job WHERE kind = 'sync_connection'`).Scan(&jobID))

	c := b.operator(t)
	r := c.Get("/ops/jobs")
	require.Contains(t, []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusPermanentRedirect}, r.StatusCode, r.Text())
	require.Equal(t, "/ops/jobs/", r.Location())
	r = c.Get("/ops/jobs/")
	require.Equal(t, http.StatusOK, r.StatusCode)
	require.True(t, strings.HasPrefix(r.Header.Get("Content-Type"), "text/html"), r.Header.Get("Content-Type"))
	require.Contains(t, r.Text(), `id="config__json"`)
	require.Contains(t, r.Text(), "/ops/jobs")
	csp := r.Header.Get("Content-Security-Policy")
	require.Contains(t, csp, "style-src 'self' 'unsafe-inline'", "the River UI's inline styles apply")
	require.Contains(t, csp, "script-src 'self';", "but never inline script")

	r = jobsAPI(t, c, http.MethodGet, "jobs?state=available", "", nil)
	require.Equal(t, http.StatusOK, r.StatusCode, r.Text())
	var list struct {
		Data []struct {
			ID   json.Number
			Kind string
		}
	}
	require.NoError(t, json.Unmarshal(r.Body, &list))
	require.Len(t, list.Data, 1)
	require.Equal(t, "sync_connection", list.Data[0].Kind)
	require.Equal(t, "available", jobState(t, c, jobID))

	// A page on another site cannot make the operator's browser act.
	cancel := `{"ids":["` + jsonID(jobID) + `"]}`
	for name, h := range map[string]http.Header{
		"fetch metadata": {"Sec-Fetch-Site": {"cross-site"}},
		"origin":         {"Origin": {"https://evil.example"}},
	} {
		r := jobsAPI(t, c, http.MethodPost, "jobs/cancel", cancel, h)
		require.Equal(t, http.StatusForbidden, r.StatusCode, name)
		require.Equal(t, "available", jobState(t, c, jobID), name)
	}
	// The console's own same-origin request works.
	r = jobsAPI(t, c, http.MethodPost, "jobs/cancel", cancel, http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {c.Base}})
	require.Equal(t, http.StatusOK, r.StatusCode, r.Text())
	require.Equal(t, "cancelled", jobState(t, c, jobID))
}

func TestOpsIsHiddenFromOrganizationUsers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	require.NoError(t, b.jobsUI.Start(t.Context()))
	for _, who := range []struct{ email, password string }{{ownerEmail, ownerPassword}, {auditorEmail, auditPassword}} {
		c := b.client(t)
		c.Login(who.email, who.password)
		missing := c.Get("/no/such/page")
		require.Equal(t, http.StatusNotFound, missing.StatusCode)
		for _, path := range []string{"/ops", "/ops/", "/ops/jobs", "/ops/jobs/", "/ops/jobs/api/jobs?state=available", "/ops/jobs/api/queues", "/ops/jobs/jobs/1"} {
			r := c.Follow(path)
			require.Equal(t, http.StatusNotFound, r.StatusCode, "%s %s", who.email, path)
			require.Equal(t, "Page not found", r.Doc(t).Find("h1").Text(), path)
			require.NotContains(t, strings.ToLower(r.Text()), "river", path)
			require.NotContains(t, strings.ToLower(r.Text()), "operator", path)
		}
		r := jobsAPI(t, c, http.MethodPost, "jobs/cancel", `{"ids":["1"]}`, http.Header{"Sec-Fetch-Site": {"same-origin"}})
		require.Equal(t, http.StatusNotFound, r.StatusCode, who.email)
	}
}

// opsHealthAs calls the health function in a transaction that names user.
func opsHealthAs(b *bundle, user dbsqlc.User) error {
	ctx := context.Background()
	return db.AsUser(ctx, b.tdb.Pool, user.ID, func(tx pgx.Tx) error {
		_, err := q.OrgHealthList(ctx, tx, b.clock.Now())
		return err
	})
}

func requireInsufficientPrivilege(t *testing.T, err error) {
	t.Helper()
	var pgErr *pgconn.PgError
	require.True(t, errors.As(err, &pgErr), "%v", err)
	require.Equal(t, "42501", pgErr.Code, pgErr.Message)
}

func TestOpsHealthFunctionRefusesNonOperators(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	owner := b.userID(t, ownerEmail)

	// As the application role, naming an organization owner: refused.
	requireInsufficientPrivilege(t, opsHealthAs(b, dbsqlc.User{ID: owner}))
	// Naming nobody at all: refused.
	_, err := b.tdb.Pool.Exec(ctx, `SELECT * FROM ops_org_health(now())`)
	requireInsufficientPrivilege(t, err)
	// Nor can the application make anyone an operator.
	_, err = b.tdb.Pool.Exec(ctx, `INSERT INTO operators (user_id, created_at) VALUES ($1, now())`, owner)
	requireInsufficientPrivilege(t, err)

	grant, err := b.accounts.MakeOperator(ctx, b.tdb.URL, b.hasher, operatorEmail, operatorPassword)
	require.NoError(t, err)
	require.True(t, grant.NewUser)
	require.NoError(t, opsHealthAs(b, grant.User))
	// The owner is still refused once an operator exists.
	requireInsufficientPrivilege(t, opsHealthAs(b, dbsqlc.User{ID: owner}))
}
