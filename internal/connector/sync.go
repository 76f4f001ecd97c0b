package connector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
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

// DatasetResult is how one dataset went.
type DatasetResult struct {
	Dataset string        `json:"dataset"`
	Status  DatasetStatus `json:"status"`
	Fetched int           `json:"fetched"`
	// ErrorClass and Error explain an unavailable or failed dataset.
	ErrorClass ErrorClass `json:"error_class,omitempty"`
	Error      string     `json:"error,omitempty"`
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
	// the platform records the check as unknown without evaluating it.
	Datasets []string
	// Params are the numbers a connection may change for this check.
	Params []Param
	// Fix says what a person does about a failure, and where.
	Fix Fix
}

// Fix is what to do about a failing check: one sentence, and the
// provider's admin page where it is done.
type Fix struct {
	Sentence  string
	LinkLabel string
	URL       string
}

// Subject is one thing a check fails on.
type Subject struct {
	Key    string
	Label  string
	Detail string
}

// CheckResult is one check's outcome.
type CheckResult struct {
	Key     string
	Status  CheckStatus
	Reason  string
	Total   int
	Failing []Subject
}

// SyncRequest is everything one sync needs; it carries no database handle.
type SyncRequest struct {
	Settings    json.RawMessage
	Credentials Credentials
	// Rotate persists rotated credentials (a new refresh token) in its own
	// transaction; the sync goes on only after it returns. A connector
	// calls it before it uses what the rotation gave it.
	Rotate func(ctx context.Context, c Credentials) error
	// Cursors are the event datasets' window starts from the last sync.
	Cursors map[string]string
	// Params are the connection's check parameters (defaults applied).
	Params Params
	Now    time.Time
	// Validators are the connection's stored conditional-request
	// validators; nil when the caller keeps none.
	Validators Validators
}

// SyncResult is the outcome of a sync that authenticated.
type SyncResult struct {
	Datasets []DatasetResult
	Checks   []CheckResult
}

// Syncer is the sync side of a connector. The platform (Run) opens one
// session per sync, collects every dataset concurrently, finishes each
// dataset's writer, and evaluates the checks whose datasets were all read.
type Syncer interface {
	// Datasets declares what a sync reads.
	Datasets() []Dataset
	// Checks declares what a sync evaluates.
	Checks() []Check
	// Open authenticates with the connection's credentials (rotating them
	// through req.Rotate if the provider does) and returns the session of
	// one sync. It returns a *SyncError when nothing can be read.
	Open(ctx context.Context, req SyncRequest) (Session, error)
}

// Session is one sync of one connection.
type Session interface {
	// Collect reads dataset d into w, calling w.Put as pages arrive but
	// never w.Finish (the platform finishes a dataset that succeeded). It
	// is called concurrently for every dataset and must stop when ctx is
	// done. Collected is meaningful even with an error (requests made). An
	// error fails the dataset; a *DatasetError or *SyncError classifies
	// it, anything else is transient.
	Collect(ctx context.Context, d Dataset, w DatasetWriter) (Collected, error)
	// Evaluate runs one check on what the session collected. The platform
	// calls it only when every dataset the check reads was read OK this
	// sync: a read error is never a pass.
	Evaluate(chk Check) CheckResult
}

// Collected is what a dataset's read produced besides its records.
type Collected struct {
	Fetched int
	// Cursor is where an event dataset's next window starts.
	Cursor string
	// Requests, Throttled and Retries count the provider requests.
	Requests, Throttled, Retries int
}

// DatasetError is a failed dataset read with its class. Unavailable marks
// data the provider refuses to this account (a licence or a permission it
// lacks) rather than a read that failed.
type DatasetError struct {
	Class       ErrorClass
	Unavailable bool
	Err         error
}

func (e *DatasetError) Error() string { return e.Err.Error() }

func (e *DatasetError) Unwrap() error { return e.Err }

// SyncError is a failure of the whole sync, with its class.
type SyncError struct {
	Class   ErrorClass
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
