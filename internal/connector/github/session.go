package github

import (
	"github.com/attesthq/attest/internal/connector/pace"

	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/secret"
)

// Session is one sync of one installation: its own token source (a token
// minted for the sync, renewed before it expires, never stored) and one
// client sending requests one at a time. Collect may be called
// concurrently for every dataset; what two datasets both need (the
// organization's settings, the repository list) is read once.
type Session struct {
	settings Settings
	tokens   *tokenSource
	api      *client
	params   connector.Params
	now      time.Time

	org   memo[OrgSettings]
	repos memo[repoList]

	mu   sync.Mutex
	snap Snapshot
}

// repoList is the repository list and the installation's selection.
type repoList struct {
	repos     []Repository
	selection string
}

// Snapshot is what a sync read, typed: the checks are evaluated on it, so
// they see exactly the data the sync stored.
type Snapshot struct {
	Org          *OrgSettings
	Repositories []Repository
	// RepositorySelection is the installation's ("selected": partial).
	RepositorySelection string
	Outside             []OutsideCollaborator
	Rules               []BranchRules
	Alerts              []DependabotAlert
}

// newSession prepares a session; it sends nothing yet.
func newSession(hc *http.Client, s Settings, privateKey secret.String, clk Clock, retry Retry, observe pace.Observer) (*Session, error) {
	if s.InstallationID <= 0 {
		return nil, errors.New("github: settings: no installation")
	}
	key, err := ParsePrivateKey(privateKey)
	if err != nil {
		return nil, err
	}
	ts := &tokenSource{app: newApp(hc, s, key, clk, retry), installation: s.InstallationID, clock: clk}
	api := &client{http: hc, root: s.APIRoot, clock: clk, retry: retry, auth: ts.header, unauthorized: ts.drop, observe: observe}
	return &Session{settings: s, tokens: ts, api: api}, nil
}

// authenticate mints the sync's first installation token.
func (s *Session) authenticate(ctx context.Context) error {
	_, err := s.tokens.header(ctx)
	return err
}

// Stats returns the session's request counters.
func (s *Session) Stats() Stats { return s.api.Stats() }

// collector reads one dataset and returns its records.
type collector func(ctx context.Context, s *Session) ([]connector.Record, error)

var collectors = map[string]collector{
	DatasetOrgSettings:          collectOrgSettings,
	DatasetMembers:              collectMembers,
	DatasetRepositories:         collectRepositories,
	DatasetOutsideCollaborators: collectOutsideCollaborators,
	DatasetBranchRules:          collectBranchRules,
	DatasetDependabotAlerts:     collectAlerts,
}

// Collect reads dataset d into w (the platform finishes w when the read
// succeeded). Its error is a *connector.SyncError when the App must be
// re-authorized, else a *connector.DatasetError with the class.
func (s *Session) Collect(ctx context.Context, d connector.Dataset, w connector.DatasetWriter) (connector.Collected, error) {
	collect, ok := collectors[d.Key]
	if !ok {
		return connector.Collected{}, &connector.DatasetError{Class: connector.ErrorConfiguration, Err: fmt.Errorf("github: unknown dataset %q", d.Key)}
	}
	stats := &Stats{}
	recs, err := collect(withStats(ctx, stats), s)
	if err == nil {
		if err = w.Put(ctx, recs); err != nil {
			err = fmt.Errorf("github: write %s: %w", d.Key, err)
		}
	}
	got := connector.Collected{Requests: stats.Requests, Throttled: stats.Throttled, Retries: stats.Retries}
	if err != nil {
		return got, datasetError(err)
	}
	got.Fetched = len(recs)
	return got, nil
}

// datasetError classifies a dataset's failure.
func datasetError(err error) error {
	var se *connector.SyncError
	if errors.As(err, &se) {
		return err
	}
	class := Class(err)
	return &connector.DatasetError{Class: class, Unavailable: class == connector.ErrorConfiguration || class == connector.ErrorLicence, Err: err}
}

// memo is a value read once per session, however many datasets ask.
type memo[T any] struct {
	mu   sync.Mutex
	done bool
	v    T
	err  error
}

func (m *memo[T]) get(load func() (T, error)) (T, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.done {
		m.v, m.err = load()
		m.done = true
	}
	return m.v, m.err
}
