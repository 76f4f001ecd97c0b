package entrasim_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/attesthq/attest/internal/entrasim"
)

const (
	testRedirect = "https://attest.example/connections/entra/callback"
	basePath     = "/_entrasim"
)

// testClock is a settable Now clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testBundle is a simulator behind a real HTTP server plus an OAuth client.
type testBundle struct {
	sim    *entrasim.Simulator
	srv    *httptest.Server
	clock  *testClock
	tenant *entrasim.Tenant
	conf   *oauth2.Config
	// client does not follow redirects.
	client *http.Client
}

// setup starts a simulator; opts.Now, BasePath and Tenants get test defaults.
func setup(t testing.TB, opts entrasim.Options) *testBundle {
	t.Helper()
	clock := &testClock{t: time.Date(2026, time.March, 2, 9, 30, 0, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	if opts.BasePath == "" {
		opts.BasePath = basePath
	}
	if len(opts.Tenants) == 0 {
		opts.Tenants = []entrasim.TenantSpec{entrasim.DefaultTenant(testRedirect)}
	}
	sim := entrasim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	spec := opts.Tenants[0]
	login := srv.URL + opts.BasePath + "/login/" + spec.ID + "/oauth2/v2.0"
	graph := srv.URL + opts.BasePath + "/graph"
	return &testBundle{
		sim:    sim,
		srv:    srv,
		clock:  clock,
		tenant: sim.Tenant(spec.ID),
		conf: &oauth2.Config{
			ClientID:     spec.Apps[0].ClientID,
			ClientSecret: spec.Apps[0].Secret,
			Endpoint:     oauth2.Endpoint{AuthURL: login + "/authorize", TokenURL: login + "/token", AuthStyle: oauth2.AuthStyleInParams},
			RedirectURL:  testRedirect,
			Scopes: []string{"openid", "offline_access", graph + "/User.Read.All", graph + "/AuditLog.Read.All",
				graph + "/Policy.Read.All", graph + "/IdentityRiskyUser.Read.All"},
		},
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
}

func (b *testBundle) graphURL(path string) string { return b.srv.URL + basePath + "/graph/v1.0" + path }

// page fetches an HTML page and parses it.
func (b *testBundle) page(t testing.TB, u string) (*http.Response, *goquery.Document) {
	t.Helper()
	resp, err := b.client.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	require.NoError(t, err)
	return resp, doc
}

// decide posts the consent page's form with the given decision and returns
// the redirect's query.
func (b *testBundle) decide(t testing.TB, pageURL, decision string) url.Values {
	t.Helper()
	resp, doc := b.page(t, pageURL)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	flow, ok := doc.Find(`form input[name="flow"]`).Attr("value")
	require.True(t, ok)
	action, ok := doc.Find("form").Attr("action")
	require.True(t, ok)
	post, err := b.client.PostForm(b.srv.URL+action, url.Values{"flow": {flow}, "decision": {decision}})
	require.NoError(t, err)
	defer post.Body.Close()
	return redirectQuery(t, post)
}

// redirectQuery asserts that resp redirects to testRedirect and returns the
// redirect's query.
func redirectQuery(t testing.TB, resp *http.Response) url.Values {
	t.Helper()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, testRedirect, loc.Scheme+"://"+loc.Host+loc.Path)
	return loc.Query()
}

// authorize runs the consent flow with PKCE and returns the code and verifier.
func (b *testBundle) authorize(t testing.TB) (code, verifier string) {
	t.Helper()
	verifier = oauth2.GenerateVerifier()
	q := b.decide(t, b.conf.AuthCodeURL("st-1", oauth2.S256ChallengeOption(verifier)), "accept")
	require.Equal(t, "st-1", q.Get("state"))
	require.NotEmpty(t, q.Get("code"))
	return q.Get("code"), verifier
}

// login runs the whole authorization code flow and returns the token.
func (b *testBundle) login(t testing.TB) *oauth2.Token {
	t.Helper()
	code, verifier := b.authorize(t)
	tok, err := b.conf.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
	require.NoError(t, err)
	return tok
}

// get performs an authenticated Graph GET and returns the response and body.
func (b *testBundle) get(t testing.TB, accessToken, u string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+accessToken)
	resp, err := b.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

// graphPage is a decoded Graph list page.
type graphPage struct {
	Context  string            `json:"@odata.context"`
	Count    *int              `json:"@odata.count"`
	NextLink string            `json:"@odata.nextLink"`
	Value    []json.RawMessage `json:"value"`
}

// getPage fetches a page that must succeed.
func (b *testBundle) getPage(t testing.TB, accessToken, u string) graphPage {
	t.Helper()
	resp, body := b.get(t, accessToken, u)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	var p graphPage
	require.NoError(t, json.Unmarshal(body, &p))
	require.NotEmpty(t, p.Context)
	return p
}

// getAll follows nextLinks from u to the end and returns every item.
func (b *testBundle) getAll(t testing.TB, accessToken, u string) (items []json.RawMessage, pages int) {
	t.Helper()
	for u != "" {
		p := b.getPage(t, accessToken, u)
		items = append(items, p.Value...)
		pages++
		if p.NextLink != "" {
			require.True(t, strings.HasPrefix(p.NextLink, b.srv.URL+basePath+"/graph/v1.0/"), p.NextLink)
		}
		u = p.NextLink
	}
	return items, pages
}

// graphErr decodes a Graph error body.
type graphErr struct {
	Error struct {
		Code       string            `json:"code"`
		Message    string            `json:"message"`
		InnerError map[string]string `json:"innerError"`
	} `json:"error"`
}

func decodeGraphErr(t testing.TB, body []byte) graphErr {
	t.Helper()
	var e graphErr
	require.NoError(t, json.Unmarshal(body, &e), string(body))
	return e
}

// tokenErr decodes an identity platform error body.
type tokenErr struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	ErrorURI         string `json:"error_uri"`
}

// retrieveErr unwraps an x/oauth2 error into the token error body.
func retrieveErr(t testing.TB, err error) (*oauth2.RetrieveError, tokenErr) {
	t.Helper()
	require.Error(t, err)
	re, ok := err.(*oauth2.RetrieveError)
	require.True(t, ok, "%T: %v", err, err)
	var te tokenErr
	require.NoError(t, json.Unmarshal(re.Body, &te))
	return re, te
}

func decodeJSON(resp *http.Response, v any) error {
	return json.NewDecoder(resp.Body).Decode(v)
}
