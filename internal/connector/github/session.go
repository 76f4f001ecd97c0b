package github

import (
	"context"
	"fmt"
	"net/http"

	"github.com/attesthq/attest/internal/secret"
)

// Session reads one installation's data for one sync: its own token source
// (a token minted for the sync, renewed before it expires, never stored)
// and one client sending requests serially.
type Session struct {
	settings Settings
	tokens   *tokenSource
	api      *client
}

// Open prepares a session; it sends nothing yet.
func Open(hc *http.Client, s Settings, privateKey secret.String, clk Clock, retry Retry) (*Session, error) {
	s, err := s.normalized()
	if err != nil {
		return nil, err
	}
	if s.InstallationID <= 0 {
		return nil, fmt.Errorf("github: settings: no installation")
	}
	key, err := ParsePrivateKey(privateKey)
	if err != nil {
		return nil, err
	}
	ts := &tokenSource{app: newApp(hc, s, key, clk, retry), installation: s.InstallationID, clock: clk}
	api := &client{http: hc, root: s.APIRoot, clock: clk, retry: retry, auth: ts.header, unauthorized: ts.drop}
	return &Session{settings: s, tokens: ts, api: api}, nil
}

// SetCache makes the session send conditional requests from cache.
func (s *Session) SetCache(c Cache) { s.api.cache = c }

// Authenticate mints the sync's first installation token, so that an
// uninstalled or suspended App fails the sync before any dataset.
func (s *Session) Authenticate(ctx context.Context) error {
	_, err := s.tokens.header(ctx)
	return err
}

// Stats returns the session's request counters.
func (s *Session) Stats() Stats { return s.api.Stats() }

// Budget returns the primary rate limit as last seen.
func (s *Session) Budget() Budget { return s.api.Budget() }
