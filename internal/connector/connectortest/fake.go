package connectortest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/secret"
)

// Fault is something a dataset's read runs into.
type Fault string

// Faults a test injects per dataset.
const (
	// FaultThrottled: the provider keeps answering 429 with a Retry-After
	// past the retry budget; the dataset fails as throttled.
	FaultThrottled Fault = "throttled"
	// FaultMalformed: the second page is not what was promised; the dataset
	// fails after its first page was handed to the writer.
	FaultMalformed Fault = "malformed"
	// FaultLicence: the account's plan does not include the dataset; it is
	// unavailable and the checks that read it are unknown.
	FaultLicence Fault = "licence"
)

// Connector is the fake. Its zero value is not usable: call New.
type Connector struct {
	mu       sync.Mutex
	accounts []Account
	events   []AuditEvent
	faults   map[string]Fault
	holds    map[string]*hold
	revoked  bool
	rotation int
	rotate   bool
	tokens   []string
}

// New returns a fake directory with accounts.
func New(accounts ...Account) *Connector {
	return &Connector{accounts: accounts, faults: map[string]Fault{}, holds: map[string]*hold{},
		events: []AuditEvent{{ID: "e1", Action: "sign-in"}, {ID: "e2", Action: "role change"}}}
}

// SetAccounts replaces the directory's accounts.
func (c *Connector) SetAccounts(accounts ...Account) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.accounts = accounts
}

// Inject makes every later read of dataset run into f ("" clears it).
func (c *Connector) Inject(dataset string, f Fault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.faults[dataset] = f
}

// hold is one read held back until released.
type hold struct {
	reached chan struct{}
	release chan struct{}
}

// Hold makes the next sync's read of dataset signal reached once it has
// started, then wait until release is called (or its context ends): a
// request that hangs, without sleeping.
func (c *Connector) Hold(dataset string) (reached <-chan struct{}, release func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := &hold{reached: make(chan struct{}), release: make(chan struct{})}
	c.holds[dataset] = h
	var once sync.Once
	return h.reached, func() { once.Do(func() { close(h.release) }) }
}

// Revoke makes the provider refuse the credentials from now on.
func (c *Connector) Revoke() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.revoked = true
}

// RotateEverySync makes every sync rotate the credentials' token, as an
// OAuth provider rotates refresh tokens.
func (c *Connector) RotateEverySync() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rotate = true
}

// TokensSeen lists the credentials' token each sync opened with.
func (c *Connector) TokensSeen() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.tokens...)
}

// Definition describes the fake.
func (c *Connector) Definition() connector.Definition { return definition }

// Datasets declares the accounts and audit datasets.
func (c *Connector) Datasets() []connector.Dataset { return datasets }

// Checks declares the MFA, idle (with its parameter) and audit checks.
func (c *Connector) Checks() []connector.Check { return checks }

// Form has the directory's name and its API token.
func (c *Connector) Form() []connector.Field {
	return []connector.Field{
		{Name: "directory", Label: "Directory", Type: "text", Required: true},
		{Name: "token", Label: "API token", Type: "secret", Required: true},
	}
}

// FormDefaults are empty.
func (c *Connector) FormDefaults() url.Values { return url.Values{} }

// FormNotice is empty.
func (c *Connector) FormNotice() string { return "" }

// ParseForm requires both fields.
func (c *Connector) ParseForm(values url.Values) (connector.Setup, connector.FieldErrors) {
	dir, token := strings.TrimSpace(values.Get("directory")), values.Get("token")
	errs := connector.FieldErrors{}
	if dir == "" {
		errs["directory"] = "Enter the directory."
	}
	if token == "" {
		errs["token"] = "Enter the token."
	}
	if len(errs) > 0 {
		return connector.Setup{}, errs
	}
	settings, _ := json.Marshal(map[string]string{"directory": dir})
	return connector.Setup{DisplayName: dir, IdentityKey: dir, IdentityField: "directory", Settings: settings, Secret: secret.New(token)}, nil
}

// Display shows the directory.
func (c *Connector) Display(raw json.RawMessage) connector.Display {
	var s struct {
		Directory string `json:"directory"`
	}
	_ = json.Unmarshal(raw, &s)
	return connector.Display{Summary: s.Directory, Column: connector.Item{Label: "Directory", Value: s.Directory},
		Details: []connector.Item{{Label: "Directory", Value: s.Directory}}}
}

// ErrRevoked is the provider's refusal of revoked credentials.
var ErrRevoked = errors.New("connectortest: the token was revoked")

// Open checks the credentials (refused once revoked) and rotates them
// first when asked to.
func (c *Connector) Open(ctx context.Context, req connector.SyncRequest) (connector.Session, error) {
	c.mu.Lock()
	revoked, rotate := c.revoked, c.rotate
	c.tokens = append(c.tokens, req.Credentials.Token.Reveal())
	c.rotation++
	n := c.rotation
	accounts, events, faults := append([]Account(nil), c.accounts...), append([]AuditEvent(nil), c.events...), map[string]Fault{}
	for k, v := range c.faults {
		faults[k] = v
	}
	holds := c.holds
	c.holds = map[string]*hold{}
	c.mu.Unlock()
	if revoked || req.Credentials.Secret.Reveal() == "" {
		return nil, &connector.SyncError{Class: connector.ErrorNeedsReauth, Err: ErrRevoked,
			Problem: connector.Problem{Title: "The fake provider refused the token", Class: connector.ErrorNeedsReauth}}
	}
	if rotate {
		if err := req.Rotate(ctx, connector.Credentials{Secret: req.Credentials.Secret, Token: secret.New(fmt.Sprintf("rotated-%d", n))}); err != nil {
			return nil, &connector.SyncError{Class: connector.ErrorTransient, Err: err, Problem: connector.Problem{Title: "The rotated token could not be saved"}}
		}
	}
	return &session{req: req, accounts: accounts, events: events, faults: faults, holds: holds}, nil
}

// session is one sync over a snapshot of the fake's data.
type session struct {
	req      connector.SyncRequest
	accounts []Account
	events   []AuditEvent
	faults   map[string]Fault
	holds    map[string]*hold
}

// Collect reads one dataset in pages of two records, running into the
// dataset's fault.
func (s *session) Collect(ctx context.Context, d connector.Dataset, w connector.DatasetWriter) (connector.Collected, error) {
	if h := s.holds[d.Key]; h != nil {
		close(h.reached)
		select {
		case <-h.release:
		case <-ctx.Done():
			return connector.Collected{Requests: 1}, ctx.Err()
		}
	}
	var recs []connector.Record
	switch d.Key {
	case DatasetAccounts:
		sum := AccountsSummary{Total: len(s.accounts)}
		for _, a := range s.accounts {
			if a.MFA {
				sum.WithMFA++
			}
			recs = append(recs, s.record(KindAccount, a.ID, a.Name, a))
		}
		recs = append(recs, s.record(KindAccountsSummary, "summary", "Account summary", sum))
	case DatasetAudit:
		for _, e := range s.events {
			recs = append(recs, s.record(KindAuditEvent, e.ID, e.Action, e))
		}
	}
	var got connector.Collected
	switch s.faults[d.Key] {
	case FaultThrottled:
		got.Requests, got.Throttled, got.Retries = 4, 4, 3
		return got, &connector.DatasetError{Class: connector.ErrorThrottled, Err: errors.New("connectortest: 429 with Retry-After: 30 past the retry budget")}
	case FaultLicence:
		got.Requests = 1
		return got, &connector.DatasetError{Class: connector.ErrorLicence, Unavailable: true, Err: errors.New("connectortest: not included in this plan")}
	}
	for i := 0; i < len(recs); i += 2 {
		got.Requests++
		if i > 0 && s.faults[d.Key] == FaultMalformed {
			return got, &connector.DatasetError{Class: connector.ErrorMalformed, Err: errors.New("connectortest: a page without its value array")}
		}
		page := recs[i:min(i+2, len(recs))]
		if err := w.Put(ctx, page); err != nil {
			return got, err
		}
		got.Fetched += len(page)
	}
	return got, nil
}

// record builds a record of kind with the definition's schema version.
func (s *session) record(kind, subject, label string, v any) connector.Record {
	k, _ := definition.Kind(kind)
	payload, _ := json.Marshal(v)
	return connector.Record{Kind: kind, SchemaVersion: k.SchemaVersion, SubjectKey: subject, SubjectLabel: label,
		ObservedAt: s.req.Now, Payload: payload}
}

// Evaluate runs the fake's checks; the audit check passes whenever it is
// evaluated, so an unknown one was the platform's decision.
func (s *session) Evaluate(chk connector.Check) connector.CheckResult {
	res := connector.CheckResult{Total: len(s.accounts), Status: connector.CheckPass}
	switch chk.Key {
	case CheckMFA:
		for _, a := range s.accounts {
			if !a.MFA {
				res.Failing = append(res.Failing, connector.Subject{Key: a.ID, Label: a.Name, Detail: "no MFA"})
			}
		}
	case CheckIdle:
		days := s.req.Params.Get(ParamIdleDays)
		since := s.req.Now.AddDate(0, 0, -days)
		for _, a := range s.accounts {
			if a.LastActive.Before(since) {
				res.Failing = append(res.Failing, connector.Subject{Key: a.ID, Label: a.Name,
					Detail: "last active " + a.LastActive.UTC().Format(time.DateOnly)})
			}
		}
	case CheckAudit:
		return connector.CheckResult{Status: connector.CheckPass, Total: len(s.events), Reason: fmt.Sprintf("Read %d audit events.", len(s.events))}
	}
	if len(res.Failing) > 0 {
		res.Status = connector.CheckFail
		res.Reason = fmt.Sprintf("%d of %d accounts fail.", len(res.Failing), len(s.accounts))
	} else {
		res.Reason = fmt.Sprintf("All %d accounts pass.", len(s.accounts))
	}
	return res
}
