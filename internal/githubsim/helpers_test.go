package githubsim_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/githubsim"
)

var start = time.Date(2026, time.December, 4, 9, 0, 0, 0, time.UTC)

// bench is a simulator behind a real server on a fake clock.
type bench struct {
	sim   *githubsim.Simulator
	srv   *httptest.Server
	clock *clock.Fake
	api   string
}

func newBench(t *testing.T, opts githubsim.Options) *bench {
	t.Helper()
	clk := clock.NewFake(start)
	opts.Clock = clk
	sim := githubsim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &bench{sim: sim, srv: srv, clock: clk, api: sim.APIRoot(srv.URL)}
}

// answer is a response read whole.
type answer struct {
	status int
	header http.Header
	body   string
}

// message is the error body's message.
func (a answer) message(t *testing.T) string {
	t.Helper()
	var b struct {
		Message          string `json:"message"`
		DocumentationURL string `json:"documentation_url"`
		Status           string `json:"status"`
	}
	require.NoError(t, json.Unmarshal([]byte(a.body), &b), a.body)
	require.NotEmpty(t, b.DocumentationURL)
	require.NotEmpty(t, b.Status)
	return b.Message
}

// do sends a request with the headers a good client sends, changed by edit.
func (b *bench) do(t *testing.T, method, target, auth string, edit func(h http.Header)) answer {
	t.Helper()
	if strings.HasPrefix(target, "/") {
		target = b.api + target
	}
	req, err := http.NewRequestWithContext(t.Context(), method, target, nil)
	require.NoError(t, err)
	req.Header.Set("User-Agent", "githubsim-test")
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if edit != nil {
		edit(req.Header)
	}
	resp, err := b.srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(raw)}
}

// jwt signs claims with key and alg in the header (RS256 signature).
func jwt(t *testing.T, key *rsa.PrivateKey, alg string, claims string) string {
	t.Helper()
	enc := base64.RawURLEncoding.EncodeToString
	signing := enc([]byte(`{"alg":"`+alg+`","typ":"JWT"}`)) + "." + enc([]byte(claims))
	digest := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	require.NoError(t, err)
	return signing + "." + enc(sig)
}

// appJWT is a good JWT for the demo App at now.
func (b *bench) appJWT(t *testing.T) string {
	t.Helper()
	now := b.clock.Now().Unix()
	return "Bearer " + jwt(t, githubsim.DemoKey(), "RS256", claims(now-60, now+540, `"98765"`))
}

func claims(iat, exp int64, iss string) string {
	return `{"iat":` + itoa(iat) + `,"exp":` + itoa(exp) + `,"iss":` + iss + `}`
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// token mints an installation token for the demo installation.
func (b *bench) token(t *testing.T) string {
	t.Helper()
	a := b.do(t, http.MethodPost, "/app/installations/12345678/access_tokens", b.appJWT(t), nil)
	require.Equal(t, http.StatusCreated, a.status, a.body)
	var body struct {
		Token     string    `json:"token"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	require.NoError(t, json.Unmarshal([]byte(a.body), &body))
	require.Equal(t, b.clock.Now().Add(time.Hour), body.ExpiresAt, "an installation token lasts one hour")
	return "token " + body.Token
}
