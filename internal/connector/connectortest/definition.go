// Package connectortest is a fake connector for the platform's tests: in
// process, deterministic, with its own definition, datasets, checks and a
// check parameter, and faults a test injects (throttling past the retry
// budget, revoked credentials, a malformed page, a dataset the account's
// plan does not include). Tests of everything that is not one provider's
// business (the syncer, evidence, coverage, the connection lifecycle) use
// it instead of a provider's simulator.
package connectortest

import (
	"time"

	"github.com/attesthq/attest/internal/connector"
)

// Key identifies the fake connector.
const Key = "fake"

// Dataset keys.
const (
	DatasetAccounts = "accounts"
	DatasetAudit    = "audit"
)

// Evidence kinds.
const (
	KindAccount         = "fake.account"
	KindAccountsSummary = "fake.accounts_summary"
	KindAuditEvent      = "fake.audit_event"
)

// Check keys.
const (
	CheckMFA   = "fake.mfa"
	CheckIdle  = "fake.idle"
	CheckAudit = "fake.audit_collected"
)

// AuditSchemaVersion is the audit event kind's declared schema version
// (not 1, so a test sees the records carry the definition's).
const AuditSchemaVersion = 2

// ParamIdleDays is the idle check's parameter.
var ParamIdleDays = connector.Param{Key: "idle_days", Label: "Accounts are idle after (days)",
	Hint: "An account not active for longer fails the idle check.", Default: 30, Min: 1, Max: 365}

var definition = connector.Definition{
	Key: Key, Name: "Fake directory", Category: "Testing", Auth: "API token", AuthKind: connector.AuthStaticToken,
	Provider: "The fake provider", Account: "directory",
	Summary: "A deterministic in-process connector for the platform's tests.",
	Cadence: time.Hour, StaleAfter: 6 * time.Hour,
	Scopes: []connector.Scope{{Name: "accounts:read", Reason: "the account list"}, {Name: "audit:read", Reason: "audit events"}},
	Limits: []connector.RateLimit{{Family: "everything", N: 100, W: time.Minute, Source: "connectortest"}},
	Evidence: []connector.EvidenceKind{
		{Kind: KindAccount, Title: "Accounts", SchemaVersion: 1, Criteria: []string{"CC6.1", "CC6.2"}, Fields: connector.JSONFields(Account{})},
		{Kind: KindAccountsSummary, Title: "Account summary", SchemaVersion: 1, Criteria: []string{"CC6.1"}, Fields: connector.JSONFields(AccountsSummary{})},
		{Kind: KindAuditEvent, Title: "Audit events", SchemaVersion: AuditSchemaVersion, Criteria: []string{"CC7.1"}, Fields: connector.JSONFields(AuditEvent{})},
	},
	Steps: []connector.Step{{Title: "Create a token", Body: "Any non-empty token the fake was given."}},
}

var datasets = []connector.Dataset{
	{Key: DatasetAccounts, Title: "Accounts", Kinds: []string{KindAccount, KindAccountsSummary}},
	{Key: DatasetAudit, Title: "Audit events", Kinds: []string{KindAuditEvent}},
}

var checks = []connector.Check{
	{Key: CheckMFA, Title: "Every account has MFA", Criteria: []string{"CC6.1"}, Datasets: []string{DatasetAccounts},
		Fix: connector.Fix{Sentence: "Turn on MFA for each listed account.", LinkLabel: "Accounts", URL: "https://fake.example/accounts"}},
	{Key: CheckIdle, Title: "No account is idle", Criteria: []string{"CC6.2"}, Datasets: []string{DatasetAccounts},
		Params: []connector.Param{ParamIdleDays},
		Fix:    connector.Fix{Sentence: "Disable each listed account nobody uses.", LinkLabel: "Accounts", URL: "https://fake.example/accounts"}},
	{Key: CheckAudit, Title: "Audit events are collected", Criteria: []string{"CC7.1"}, Datasets: []string{DatasetAudit},
		Fix: connector.Fix{Sentence: "Grant the token the audit:read scope.", LinkLabel: "Tokens", URL: "https://fake.example/tokens"}},
}

// Account is one account of the fake directory (the fake.account payload).
type Account struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	MFA        bool      `json:"mfa"`
	LastActive time.Time `json:"last_active"`
}

// AccountsSummary is the accounts dataset's summary record.
type AccountsSummary struct {
	Total   int `json:"total"`
	WithMFA int `json:"with_mfa"`
}

// AuditEvent is one audit event (the fake.audit_event payload).
type AuditEvent struct {
	ID     string `json:"id"`
	Action string `json:"action"`
}
