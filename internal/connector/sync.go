package connector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/attesthq/attest/internal/secret"
)

// Record is one typed evidence record a sync produced.
type Record struct {
	Kind          string
	SchemaVersion int
	// SubjectKey identifies what the record is about within its kind (a user
	// id, a policy id, "summary").
	SubjectKey   string
	SubjectLabel string
	// ObservedAt is when the fact was true at the source.
	ObservedAt time.Time
	// Payload is the canonical JSON of the kind's Go type, normalized so
	// unchanged data encodes to the same bytes.
	Payload []byte
}

// Dataset is one collection a connector reads in a sync.
type Dataset struct {
	Key   string
	Title string
	// Kinds are the evidence kinds it writes.
	Kinds []string
	// Events marks an event stream read in windows: subjects absent from a
	// window do not leave the current state.
	Events bool
	// Summarize, for an event dataset, builds its summary record from the
	// payloads of every event in the current state (the window alone would
	// change the summary on every sync).
	Summarize func(payloads [][]byte, now time.Time) (Record, error)
}

// DatasetWriter receives one dataset's records as pages arrive. What it
// receives lands atomically when the dataset succeeds, and not at all when
// it fails.
type DatasetWriter interface {
	Put(ctx context.Context, records []Record) error
	// Finish says the dataset was read completely. The writer then does the
	// rest of its work (gone subjects, an event dataset's summary) while
	// other datasets are still being read; the dataset still lands only
	// when the run ends, if it succeeded. A connector calls it at most
	// once, after its last Put, and never for a failed dataset; an error
	// fails the dataset.
	Finish(ctx context.Context) error
}

// Dataset statuses.
const (
	DatasetOK          = "ok"
	DatasetUnavailable = "unavailable"
	DatasetFailed      = "failed"
)

// Error classes of a failed dataset or sync.
const (
	ErrorNeedsReauth   = "needs_reauth"
	ErrorConfiguration = "configuration"
	ErrorLicence       = "licence"
	ErrorThrottled     = "throttled"
	ErrorTransient     = "transient"
	ErrorMalformed     = "malformed"
)

// DatasetResult is how one dataset went.
type DatasetResult struct {
	Dataset string `json:"dataset"`
	Status  string `json:"status"`
	Fetched int    `json:"fetched"`
	// ErrorClass and Error explain an unavailable or failed dataset.
	ErrorClass string `json:"error_class,omitempty"`
	Error      string `json:"error,omitempty"`
	// Cursor is where an event dataset's next window starts.
	Cursor    string `json:"cursor,omitempty"`
	Requests  int    `json:"requests"`
	Throttled int    `json:"throttled"`
	Retries   int    `json:"retries"`
}

// Check is one test a connector evaluates on its current state.
type Check struct {
	Key         string
	Title       string
	Description string
	Criteria    []string
	// Datasets are the datasets the check reads; if one is not OK this run,
	// the check is unknown.
	Datasets []string
}

// Check statuses.
const (
	CheckPass    = "pass"
	CheckFail    = "fail"
	CheckUnknown = "unknown"
)

// Subject is one thing a check fails on.
type Subject struct {
	Key    string
	Label  string
	Detail string
}

// CheckResult is one check's outcome.
type CheckResult struct {
	Key     string
	Status  string
	Reason  string
	Total   int
	Failing []Subject
}

// SyncRequest is everything one sync needs; it carries no database handle.
type SyncRequest struct {
	Settings     json.RawMessage
	ClientSecret secret.String
	RefreshToken secret.String
	// SaveRefreshToken persists a rotated refresh token; the sync goes on
	// only after it returns.
	SaveRefreshToken func(ctx context.Context, token secret.String) error
	// Writer returns the writer of one dataset.
	Writer func(dataset string) DatasetWriter
	// Cursors are the event datasets' window starts from the last sync.
	Cursors map[string]string
	// Params are per-connection check parameters (e.g. "inactive_days").
	Params map[string]int
	Now    time.Time
}

// SyncResult is the outcome of a sync that authenticated.
type SyncResult struct {
	Datasets []DatasetResult
	Checks   []CheckResult
}

// Syncer is a connector that collects evidence.
type Syncer interface {
	Datasets() []Dataset
	Checks() []Check
	// Sync collects every dataset. It returns an error only when nothing
	// could be collected (authentication failed); dataset failures are in
	// the result.
	Sync(ctx context.Context, req SyncRequest) (SyncResult, error)
}

// SyncError is a failure of the whole sync, with its class.
type SyncError struct {
	Class   string
	Problem Problem
	Err     error
}

func (e *SyncError) Error() string {
	return fmt.Sprintf("sync failed (%s): %s: %v", e.Class, e.Problem.Title, e.Err)
}

func (e *SyncError) Unwrap() error { return e.Err }

// IsNeedsReauth reports whether err means the connection must be
// re-authorized before it can sync again.
func IsNeedsReauth(err error) bool {
	var se *SyncError
	return errors.As(err, &se) && se.Class == ErrorNeedsReauth
}
