package entra

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/secret"
)

// tokenSource hands out access tokens for one sync. It refreshes with the
// refresh-token grant (sending the scope, which x/oauth2's refresher omits
// and Azure sometimes requires), and persists every rotated refresh token
// before anything else uses the new access token.
type tokenSource struct {
	mu       sync.Mutex
	http     *http.Client
	settings Settings
	creds    connector.Credentials // the client secret and the refresh token
	rotate   func(context.Context, connector.Credentials) error
	now      func() time.Time

	accessT string
	expiry  time.Time
}

// refreshMargin renews an access token this long before it expires.
const refreshMargin = 2 * time.Minute

// maxTokenSeconds caps the lifetime an answer may claim for an access token:
// Entra's tokens last at most a day.
const maxTokenSeconds = 24 * 60 * 60

// access returns a valid access token, refreshing when needed.
func (t *tokenSource) access(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.accessT != "" && t.now().Add(refreshMargin).Before(t.expiry) {
		return t.accessT, nil
	}
	return t.accessT, t.refreshLocked(ctx)
}

// refresh renews the access token after stale was rejected, unless another
// caller already did.
func (t *tokenSource) refresh(ctx context.Context, stale string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.accessT != stale {
		return nil
	}
	return t.refreshLocked(ctx)
}

func (t *tokenSource) refreshLocked(ctx context.Context) error {
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"client_id":     {t.settings.ClientID},
		"client_secret": {t.creds.Secret.Reveal()},
		"refresh_token": {t.creds.Token.Reveal()},
		"scope":         {strings.Join(RequestedScopes(t.settings.GraphRoot), " ")},
	}
	endpoint := strings.TrimSuffix(t.settings.LoginRoot, "/") + "/" + url.PathEscape(t.settings.Tenant) + "/oauth2/v2.0/token"
	ctx, cancel := context.WithTimeout(ctx, tokenTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := t.http.Do(req)
	if err != nil {
		return &connector.SyncError{Class: connector.ErrorTransient, Err: fmt.Errorf("entra: refresh token: %s", redactURLError(err)),
			Problem: connector.Problem{Title: "Microsoft could not be reached", Message: "The token endpoint did not answer."}}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var body struct {
		AccessToken  string      `json:"access_token"`
		RefreshToken string      `json:"refresh_token"`
		ExpiresIn    json.Number `json:"expires_in"`
		Error        string      `json:"error"`
		Description  string      `json:"error_description"`
		Codes        []int       `json:"error_codes"`
	}
	if err := json.Unmarshal(raw, &body); err != nil || (resp.StatusCode == http.StatusOK && body.AccessToken == "") {
		return &connector.SyncError{Class: connector.ErrorMalformed, Err: fmt.Errorf("entra: refresh token: unreadable answer (HTTP %d)", resp.StatusCode),
			Problem: connector.Problem{Title: "Microsoft's token endpoint answered something unreadable"}}
	}
	if resp.StatusCode != http.StatusOK || body.Error != "" {
		te := &TokenError{Code: body.Error, Description: body.Description, AADSTS: body.Codes, Status: resp.StatusCode}
		return refreshFailure(te)
	}
	secs, err := body.ExpiresIn.Int64()
	switch {
	case err != nil || secs <= 0:
		secs = 3600
	case secs > maxTokenSeconds:
		secs = maxTokenSeconds // checked before the multiplication, which would wrap around
	}
	if body.RefreshToken != "" && body.RefreshToken != t.creds.Token.Reveal() {
		rotated := connector.Credentials{Secret: t.creds.Secret, Token: secret.New(body.RefreshToken)}
		if err := t.rotate(ctx, rotated); err != nil {
			return &connector.SyncError{Class: connector.ErrorTransient, Err: fmt.Errorf("entra: save rotated refresh token: %w", err),
				Problem: connector.Problem{Title: "The rotated refresh token could not be saved"}}
		}
		t.creds = rotated
	}
	t.accessT = body.AccessToken
	t.expiry = t.now().Add(time.Duration(secs) * time.Second)
	return nil
}

// refreshFailure classifies a refused refresh: a revoked or expired grant, or
// one that needs the user, means re-authorization; anything else is retried.
func refreshFailure(te *TokenError) error {
	class := connector.ErrorTransient
	switch te.Code {
	case "invalid_grant", "interaction_required", "consent_required":
		class = connector.ErrorNeedsReauth
	case "invalid_client", "unauthorized_client", "invalid_request", "invalid_scope":
		class = connector.ErrorConfiguration
	}
	p := (&Connector{}).DescribeError(te, "")
	if class == connector.ErrorNeedsReauth {
		p.Class = connector.ErrorNeedsReauth
	}
	return &connector.SyncError{Class: class, Problem: p, Err: fmt.Errorf("entra: refresh token: %w", te)}
}
