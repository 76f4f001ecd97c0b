package github

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/secret"
)

// refreshBefore renews an installation token this long before it expires
// (ghinstallation renews a minute early).
const refreshBefore = time.Minute

// app authenticates as the App: every request carries a fresh App JWT.
type app struct {
	key    *rsa.PrivateKey
	issuer string
	api    *client
}

// newApp returns the App's client for the App endpoints.
func newApp(hc *http.Client, s Settings, key *rsa.PrivateKey, clk Clock, retry Retry) *app {
	a := &app{key: key, issuer: s.issuer()}
	a.api = &client{http: hc, root: s.APIRoot, clock: clk, retry: retry}
	a.api.auth = func(context.Context) (string, error) {
		jwt, err := AppJWT(a.key, a.issuer, clk.Now())
		if err != nil {
			return "", err
		}
		return "Bearer " + jwt.Reveal(), nil
	}
	return a
}

// installationToken is an installation access token and its expiry. The
// token is a secret: it prints as [redacted] and is never stored.
type installationToken struct {
	Token     secret.String
	ExpiresAt time.Time
}

// tokenSource mints installation tokens with the App JWT, one at a time,
// and renews them before they expire.
type tokenSource struct {
	app          *app
	installation int64
	clock        Clock

	mu      sync.Mutex
	current installationToken
	minted  int
	// refused is GitHub's refusal of the App (uninstalled, suspended, key
	// revoked): it is final for the session, so it is not asked again.
	refused error
}

// header returns "token X" with a token valid for at least refreshBefore.
func (t *tokenSource) header(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.refused != nil {
		return "", t.refused
	}
	if t.current.Token.IsZero() || !t.clock.Now().Add(refreshBefore).Before(t.current.ExpiresAt) {
		tok, err := t.app.mint(ctx, t.installation)
		if connector.IsNeedsReauth(err) {
			t.refused = err
		}
		if err != nil {
			return "", err
		}
		t.current = tok
		t.minted++
	}
	return "token " + t.current.Token.Reveal(), nil
}

// drop forgets the current token, after GitHub refused it.
func (t *tokenSource) drop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.current = installationToken{}
}

// mint creates an installation token. An uninstalled App (404), a
// suspended installation (403) and a refused JWT (401) need a person: they
// are needs-re-authorization failures.
func (a *app) mint(ctx context.Context, installation int64) (installationToken, error) {
	r, err := a.api.do(ctx, routeAccessTokens, http.MethodPost, "/app/installations/"+strconv.FormatInt(installation, 10)+"/access_tokens", nil)
	if err != nil {
		return installationToken{}, authFailure(err)
	}
	var body struct {
		Token     string    `json:"token"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil || body.Token == "" || body.ExpiresAt.IsZero() {
		return installationToken{}, fmt.Errorf("%w: installation token answer", ErrMalformed)
	}
	return installationToken{Token: secret.New(body.Token), ExpiresAt: body.ExpiresAt}, nil
}

// authFailure explains why GitHub refused the App.
func authFailure(err error) error {
	var ae *APIError
	if !errors.As(err, &ae) {
		return err
	}
	switch {
	case ae.Status == http.StatusNotFound:
		return reauth("The GitHub App is not installed", "GitHub no longer knows the installation: the App was uninstalled from the organization.", err)
	case ae.Suspended():
		return reauth("The GitHub App's installation is suspended", "An organization owner suspended the App's installation.", err)
	case ae.Status == http.StatusUnauthorized:
		return reauth("GitHub refused the App's key", "GitHub did not accept the App JWT: the private key was revoked or the App ID is wrong.", err)
	}
	return err
}
