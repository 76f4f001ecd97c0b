package github

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/githubsim"
)

func TestAppJWTIsRS256BackdatedSixtySecondsAndExpiresWithinNineMinutes(t *testing.T) {
	t.Parallel()
	key := githubsim.DemoKey()
	now := time.Date(2026, 12, 4, 9, 0, 0, 700_000_000, time.UTC)
	jwt, err := AppJWT(key, "98765", now)
	require.NoError(t, err)
	require.Equal(t, "[redacted]", jwt.String(), "the JWT is a secret")
	parts := strings.Split(jwt.Reveal(), ".")
	require.Len(t, parts, 3)
	var header map[string]string
	decodeJWTPart(t, parts[0], &header)
	require.Equal(t, "RS256", header["alg"])
	var claims map[string]any
	decodeJWTPart(t, parts[1], &claims)
	whole := now.Truncate(time.Second)
	require.Equal(t, map[string]any{"iat": float64(whole.Add(-60 * time.Second).Unix()), "exp": float64(whole.Add(9 * time.Minute).Unix()), "iss": "98765"}, claims)
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	require.NotContains(t, string(raw), ".", "timestamps are whole seconds")
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	require.NoError(t, err)
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	require.NoError(t, rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, digest[:], sig))
}

func decodeJWTPart(t *testing.T, part string, v any) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(part)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v))
}

// orgLogin reads GET /orgs/{org} through the session's client.
func orgLogin(ctx context.Context, s *Session) (string, error) {
	var org struct {
		Login string `json:"login"`
	}
	_, err := s.api.getJSON(ctx, routeOrg, "/orgs/"+s.settings.Org, &org)
	return org.Login, err
}

func TestInstallationTokenIsRenewedAMinuteBeforeItExpires(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	s := e.session(t)
	ctx := t.Context()
	require.Equal(t, 1, s.tokens.minted, "Open mints the sync's token")
	_, err := orgLogin(ctx, s)
	require.NoError(t, err)
	require.Equal(t, 1, s.tokens.minted)
	first := s.tokens.current.Token.Reveal()
	require.Greater(t, len(first), 40, "tokens are not assumed to be 40 characters")

	e.clock.Advance(58 * time.Minute)
	_, err = orgLogin(ctx, s)
	require.NoError(t, err)
	require.Equal(t, 1, s.tokens.minted, "a token with more than a minute left is reused")

	e.clock.Advance(90 * time.Second)
	_, err = orgLogin(ctx, s)
	require.NoError(t, err)
	require.Equal(t, 2, s.tokens.minted, "a token with less than a minute left is renewed before use")
	require.NotEqual(t, first, s.tokens.current.Token.Reveal())
}

func TestARefusedTokenIsRenewedOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	s := e.session(t)
	ctx := t.Context()
	// The token expired without the source noticing (its expiry was
	// misread): GitHub answers 401 and the client renews it once.
	s.tokens.current.ExpiresAt = e.clock.Now().Add(10 * time.Hour)
	e.clock.Advance(61 * time.Minute)
	login, err := orgLogin(ctx, s)
	require.NoError(t, err)
	require.Equal(t, githubsim.DefaultOrgLogin, login)
	require.Equal(t, 2, s.tokens.minted)
}

func TestUninstalledAppNeedsReauthorization(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	e.sim.Uninstall(githubsim.DefaultInstallationID)
	_, err := e.open(t, nil, nil)
	require.True(t, connector.IsNeedsReauth(err), "%v", err)
	require.Contains(t, err.Error(), "not installed")
}

func TestUninstallDuringASyncNeedsReauthorization(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	s := e.session(t)
	_, err := orgLogin(t.Context(), s)
	require.NoError(t, err)
	e.sim.Uninstall(githubsim.DefaultInstallationID)
	_, err = orgLogin(t.Context(), s)
	require.True(t, connector.IsNeedsReauth(err), "the revoked token's 401 leads to a refused renewal: %v", err)
	require.Equal(t, connector.ErrorNeedsReauth, Class(err))
	require.Empty(t, e.clock.pauses(), "a refusal is final, not retried like a network failure")
}

func TestSuspendedInstallationNeedsReauthorization(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	e.sim.Suspend(githubsim.DefaultInstallationID)
	_, err := e.open(t, nil, nil)
	require.True(t, connector.IsNeedsReauth(err), "%v", err)
	require.Contains(t, err.Error(), "suspended")
}

func TestAKeyGitHubDoesNotKnowNeedsReauthorization(t *testing.T) {
	t.Parallel()
	e := newEnv(t, githubsim.Options{})
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	e.key = secretPEM(other)
	_, err = e.open(t, nil, nil)
	require.True(t, connector.IsNeedsReauth(err), "%v", err)
	require.Contains(t, err.Error(), "refused the App's key")
}
