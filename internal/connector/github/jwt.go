package github

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	"github.com/attesthq/attest/internal/secret"
)

// The App JWT's timing (github.md section 1c): iat 60 s in the past to
// absorb clock drift, exp 9 minutes ahead, under GitHub's 10-minute limit,
// both whole seconds.
const (
	jwtBackdate = 60 * time.Second
	jwtLifetime = 9 * time.Minute
)

// ErrPrivateKey is a private key that is not an RSA key in PEM.
var ErrPrivateKey = errors.New("github: the private key is not an RSA key in PEM (PKCS#1 or PKCS#8)")

// ParsePrivateKey reads the App's private key: PKCS#1 as GitHub downloads
// it, or PKCS#8.
func ParsePrivateKey(p secret.String) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(p.Reveal()))
	if block == nil {
		return nil, ErrPrivateKey
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
			return k, nil
		}
	case "PRIVATE KEY":
		if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
			if rk, ok := k.(*rsa.PrivateKey); ok {
				return rk, nil
			}
		}
	}
	return nil, ErrPrivateKey
}

// jwtClaims are the App JWT's claims.
type jwtClaims struct {
	IssuedAt  int64  `json:"iat"`
	ExpiresAt int64  `json:"exp"`
	Issuer    string `json:"iss"`
}

// jwtHeader is the App JWT's fixed header.
var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`))

// AppJWT signs an App JWT (RS256) for issuer, the App ID or client ID, at
// now: iat 60 s before, exp 9 minutes after, in whole seconds.
func AppJWT(key *rsa.PrivateKey, issuer string, now time.Time) (secret.String, error) {
	now = now.Truncate(time.Second)
	claims, err := json.Marshal(jwtClaims{IssuedAt: now.Add(-jwtBackdate).Unix(), ExpiresAt: now.Add(jwtLifetime).Unix(), Issuer: issuer})
	if err != nil {
		return secret.String{}, fmt.Errorf("github: jwt claims: %w", err)
	}
	signing := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(claims)
	digest := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		return secret.String{}, fmt.Errorf("github: sign jwt: %w", err)
	}
	return secret.New(signing + "." + base64.RawURLEncoding.EncodeToString(sig)), nil
}
