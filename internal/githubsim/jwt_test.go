package githubsim_test

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/githubsim"
)

func TestAppJWTsAreCheckedAsGitHubDocumentsThem(t *testing.T) {
	t.Parallel()
	b := newBench(t, githubsim.Options{})
	now := b.clock.Now().Unix()
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	key := githubsim.DemoKey()
	for _, tc := range []struct {
		name, auth, message string
	}{
		{"the App ID as a string", "Bearer " + jwt(t, key, "RS256", claims(now-60, now+540, `"98765"`)), ""},
		{"the App ID as a number", "Bearer " + jwt(t, key, "RS256", claims(now-60, now+540, `98765`)), ""},
		{"the client ID", "Bearer " + jwt(t, key, "RS256", claims(now-60, now+540, `"`+githubsim.DefaultAppClientID+`"`)), ""},
		{"exp exactly 10 minutes ahead", "Bearer " + jwt(t, key, "RS256", claims(now-60, now+600, `"98765"`)), ""},
		{"exp more than 10 minutes ahead", "Bearer " + jwt(t, key, "RS256", claims(now-60, now+601, `"98765"`)),
			"'Expiration time' claim ('exp') is too far in the future"},
		{"an expired JWT", "Bearer " + jwt(t, key, "RS256", claims(now-600, now, `"98765"`)),
			"'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"},
		{"iat in the future", "Bearer " + jwt(t, key, "RS256", claims(now+5, now+540, `"98765"`)),
			"'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"},
		{"a fractional iat", "Bearer " + jwt(t, key, "RS256", `{"iat":`+itoa(now-60)+`.5,"exp":`+itoa(now+540)+`,"iss":"98765"}`),
			"'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"},
		{"another key", "Bearer " + jwt(t, other, "RS256", claims(now-60, now+540, `"98765"`)), "A JSON web token could not be decoded"},
		{"alg HS256 announced", "Bearer " + jwt(t, key, "HS256", claims(now-60, now+540, `"98765"`)), "A JSON web token could not be decoded"},
		{"an unknown issuer", "Bearer " + jwt(t, key, "RS256", claims(now-60, now+540, `"1"`)), "'Issuer' claim ('iss') must be the App's client ID or App ID"},
		{"the token scheme", "token " + jwt(t, key, "RS256", claims(now-60, now+540, `"98765"`)), "A JSON web token must be sent with the Bearer scheme"},
		{"no Authorization", "", "Requires authentication"},
		{"garbage", "Bearer not.a.jwt", "A JSON web token could not be decoded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := b.do(t, http.MethodGet, "/app/installations/12345678", tc.auth, nil)
			if tc.message == "" {
				require.Equal(t, http.StatusOK, a.status, a.body)
				return
			}
			require.Equal(t, http.StatusUnauthorized, a.status, a.body)
			require.Equal(t, tc.message, a.message(t))
		})
	}
}

func TestAnInstallationTokenIsNotAnAppJWT(t *testing.T) {
	t.Parallel()
	b := newBench(t, githubsim.Options{})
	tok := b.token(t)
	a := b.do(t, http.MethodGet, "/app/installations", "Bearer "+tok[len("token "):], nil)
	require.Equal(t, http.StatusUnauthorized, a.status)
	a = b.do(t, http.MethodGet, "/orgs/acme-sim", b.appJWT(t), nil)
	require.Equal(t, http.StatusUnauthorized, a.status, "data endpoints need an installation token")
	require.Equal(t, "Bad credentials", a.message(t))
}
