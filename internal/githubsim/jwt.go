package githubsim

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// maxJWTLifetime is how far in the future GitHub accepts a JWT's exp.
const maxJWTLifetime = 10 * time.Minute

// verifyJWT checks an App JWT as github.md section 1c documents it: the
// Bearer scheme, alg RS256, a signature by the key of the App that iss
// names (its client ID or its App ID), integer iat and exp, iat not in the
// future, exp in the future and at most 10 minutes ahead. It returns the App,
// or nil and GitHub's message.
func (s *Simulator) verifyJWT(authorization string, now time.Time) (*app, string) {
	scheme, tok, ok := strings.Cut(authorization, " ")
	switch {
	case !ok || tok == "":
		return nil, msgRequiresAuth
	case !strings.EqualFold(scheme, "Bearer"):
		return nil, msgJWTScheme
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, msgJWTDecode
	}
	var header struct {
		Alg string `json:"alg"`
	}
	var claims struct {
		Iat json.RawMessage `json:"iat"`
		Exp json.RawMessage `json:"exp"`
		Iss json.RawMessage `json:"iss"`
	}
	if !decodeSegment(parts[0], &header) || !decodeSegment(parts[1], &claims) || header.Alg != "RS256" {
		return nil, msgJWTDecode
	}
	a := s.appByIssuer(claims.Iss)
	if a == nil {
		return nil, msgJWTIssuer
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, msgJWTDecode
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(a.pub, crypto.SHA256, digest[:], sig) != nil {
		return nil, msgJWTDecode
	}
	iat, okIat := integer(claims.Iat)
	exp, okExp := integer(claims.Exp)
	switch {
	case !okIat || iat > now.Unix():
		return nil, msgJWTIssuedFuture
	case !okExp || exp <= now.Unix():
		return nil, msgJWTExpired
	case exp > now.Add(maxJWTLifetime).Unix():
		return nil, msgJWTExpTooFar
	}
	return a, ""
}

// appByIssuer finds the App an iss claim names: a numeric App ID (as a
// number or a string) or a client ID.
func (s *Simulator) appByIssuer(raw json.RawMessage) *app {
	var id string
	if err := json.Unmarshal(raw, &id); err != nil {
		id = string(raw)
	}
	for _, a := range s.apps {
		if id == a.spec.ClientID || id == strconv.FormatInt(a.spec.ID, 10) {
			return a
		}
	}
	return nil
}

// integer parses a JSON number that is a whole number written without a
// fraction or exponent: GitHub rejects timestamps that are not integers.
func integer(raw json.RawMessage) (int64, bool) {
	if len(raw) == 0 || bytes.ContainsAny(raw, ".eE\"") {
		return 0, false
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	return n, err == nil
}

func decodeSegment(seg string, v any) bool {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	return err == nil && json.Unmarshal(b, v) == nil
}
